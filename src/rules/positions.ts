import type { SourcePosition } from './issues';
import { formatPath, type KeyPath, type PathSegment } from './path';

/**
 * Where each key of a TOML document is written. smol-toml's result carries no positions, so this small scanner
 * walks the text once: table headers (`[a.b]`, `[[a.b]]` with array indices), `key = value` lines, dotted and
 * quoted keys, inline tables and arrays (each element gets its index), and it skips strings and comments, so text
 * inside a multi-line string is never taken for a key. It is only run on text smol-toml accepted, but it never
 * throws and always advances, whatever the input.
 */
export class PositionIndex {
  constructor(
    private readonly positions: ReadonlyMap<string, SourcePosition>,
    private readonly contents: ReadonlyMap<string, SourcePosition> = new Map(),
  ) {}

  /**
   * Where the content of the string value at `path` begins (after the opening quotes, and after the newline that
   * TOML drops right after opening quotes of a multi-line string): offsets in the string map to the file from here.
   */
  contentStart(path: KeyPath): SourcePosition | undefined {
    return this.contents.get(formatPath(path));
  }

  get(path: KeyPath): SourcePosition | undefined {
    return this.positions.get(formatPath(path));
  }

  /** The position of `path`, else of its closest written ancestor, else the start of the file. */
  nearest(path: KeyPath): SourcePosition {
    for (let n = path.length; n > 0; n -= 1) {
      const pos = this.positions.get(formatPath(path.slice(0, n)));
      if (pos !== undefined) return pos;
    }
    return { line: 1, column: 1 };
  }
}

export function scanPositions(text: string): PositionIndex {
  const scanner = new Scanner(text);
  return new PositionIndex(scanner.run(), scanner.contents);
}

const BARE_KEY = /[A-Za-z0-9_-]+/y;

class Scanner {
  private i = 0;
  private readonly out = new Map<string, SourcePosition>();
  readonly contents = new Map<string, SourcePosition>();
  private readonly arrayCounts = new Map<string, number>();
  private readonly lineStarts: number[] = [0];

  constructor(private readonly s: string) {
    for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) this.lineStarts.push(k + 1);
  }

  run(): ReadonlyMap<string, SourcePosition> {
    let table: PathSegment[] = [];
    while (this.i < this.s.length) {
      const before = this.i;
      this.skipBlank(true);
      const c = this.s[this.i];
      if (c === undefined) break;
      if (c === '[') table = this.header();
      else if (c === ']' || c === ',' || c === '}' || c === '=') this.i += 1;
      else this.keyValue(table);
      this.skipLine();
      if (this.i === before) this.i += 1;
    }
    return this.out;
  }

  private header(): PathSegment[] {
    const start = this.i;
    const isArray = this.s[this.i + 1] === '[';
    this.i += isArray ? 2 : 1;
    const keys = this.key();
    this.i += isArray ? 2 : 1;
    const path: PathSegment[] = [];
    keys.forEach((k, n) => {
      path.push(k);
      const id = formatPath(path);
      const last = n === keys.length - 1;
      if (last && isArray) {
        this.record(path, start);
        const count = (this.arrayCounts.get(id) ?? 0) + 1;
        this.arrayCounts.set(id, count);
        path.push(count - 1);
      } else {
        const count = this.arrayCounts.get(id);
        if (count !== undefined) path.push(count - 1);
      }
    });
    this.record(path, start);
    return path;
  }

  private keyValue(prefix: KeyPath): void {
    const start = this.i;
    const keys = this.key();
    if (keys.length === 0) return;
    const path = [...prefix, ...keys];
    this.record(path, start);
    this.skipBlank(false);
    if (this.s[this.i] !== '=') return;
    this.i += 1;
    this.skipBlank(false);
    this.value(path);
  }

  /** A dotted key: bare, "basic" or 'literal' parts separated by dots. */
  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipBlank(false);
      const c = this.s[this.i];
      let part: string | undefined;
      if (c === '"') part = this.basicString();
      else if (c === "'") part = this.literalString();
      else {
        BARE_KEY.lastIndex = this.i;
        const m = BARE_KEY.exec(this.s);
        if (m !== null) {
          part = m[0];
          this.i += part.length;
        }
      }
      if (part === undefined) return parts;
      parts.push(part);
      this.skipBlank(false);
      if (this.s[this.i] !== '.') return parts;
      this.i += 1;
    }
  }

  private value(path: KeyPath): void {
    const s = this.s;
    this.recordContent(path);
    if (s.startsWith('"""', this.i)) this.multiline('"');
    else if (s.startsWith("'''", this.i)) this.multiline("'");
    else if (s[this.i] === '"') this.basicString();
    else if (s[this.i] === "'") this.literalString();
    else if (s[this.i] === '[') this.array(path);
    else if (s[this.i] === '{') this.inlineTable(path);
    else while (this.i < s.length && !',]}\n#'.includes(s[this.i] ?? '')) this.i += 1;
  }

  private array(path: KeyPath): void {
    this.i += 1;
    for (let n = 0; this.i < this.s.length; n += 1) {
      this.skipBlank(true);
      if (this.s[this.i] === ']') {
        this.i += 1;
        return;
      }
      const before = this.i;
      this.record([...path, n], this.i);
      this.value([...path, n]);
      this.skipBlank(true);
      if (this.s[this.i] === ',') this.i += 1;
      if (this.i === before) this.i += 1;
    }
  }

  private inlineTable(path: KeyPath): void {
    this.i += 1;
    while (this.i < this.s.length) {
      this.skipBlank(true);
      const c = this.s[this.i];
      if (c === '}') {
        this.i += 1;
        return;
      }
      const before = this.i;
      if (c === ',') this.i += 1;
      else this.keyValue(path);
      if (this.i === before) this.i += 1;
    }
  }

  private basicString(): string {
    let out = '';
    this.i += 1;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"' || c === '\n') {
        this.i += c === '"' ? 1 : 0;
        return out;
      }
      if (c === '\\') {
        out += decodeEscape(this.s.slice(this.i, this.i + 10));
        this.i += escapeLength(this.s[this.i + 1]);
        continue;
      }
      out += c;
      this.i += 1;
    }
    return out;
  }

  private literalString(): string {
    const end = this.s.indexOf("'", this.i + 1);
    const nl = this.s.indexOf('\n', this.i + 1);
    const stop = end === -1 || (nl !== -1 && nl < end) ? (nl === -1 ? this.s.length : nl) : end;
    const out = this.s.slice(this.i + 1, stop);
    this.i = stop === end ? stop + 1 : stop;
    return out;
  }

  /** """...""" or '''...''': the closing delimiter is the last three quotes of a run of up to five. */
  private multiline(q: '"' | "'"): void {
    const delim = q.repeat(3);
    let from = this.i + 3;
    for (;;) {
      const at = this.s.indexOf(delim, from);
      if (at === -1) {
        this.i = this.s.length;
        return;
      }
      // in a basic string, an odd run of backslashes escapes the first quote
      let slashes = 0;
      while (q === '"' && this.s[at - 1 - slashes] === '\\') slashes += 1;
      if (slashes % 2 === 1) {
        from = at + 1;
        continue;
      }
      let run = 3;
      while (run < 5 && this.s[at + run] === q) run += 1;
      this.i = at + run;
      return;
    }
  }

  /** Spaces and tabs; with `newlines`, also line breaks and comments. */
  private skipBlank(newlines: boolean): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) this.i += 1;
      else if (newlines && c === '#') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl === -1 ? this.s.length : nl;
  }

  /** After a value or header: the rest of the line is blank or a comment. */
  private skipLine(): void {
    this.skipBlank(false);
    if (this.s[this.i] === '#') this.skipComment();
  }

  private recordContent(path: KeyPath): void {
    const s = this.s;
    let start: number;
    if (s.startsWith('"""', this.i) || s.startsWith("'''", this.i)) {
      start = this.i + 3;
      if (s[start] === '\n') start += 1;
      else if (s.startsWith('\r\n', start)) start += 2;
    } else if (s[this.i] === '"' || s[this.i] === "'") start = this.i + 1;
    else return;
    const id = formatPath(path);
    if (!this.contents.has(id)) this.contents.set(id, this.positionOf(start));
  }

  private record(path: KeyPath, index: number): void {
    const id = formatPath(path);
    if (!this.out.has(id)) this.out.set(id, this.positionOf(index));
  }

  private positionOf(index: number): SourcePosition {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - (this.lineStarts[lo] ?? 0) + 1 };
  }
}

function escapeLength(next: string | undefined): number {
  if (next === 'u') return 6;
  if (next === 'U') return 10;
  return 2;
}

function decodeEscape(text: string): string {
  const next = text[1];
  const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
  if (next !== undefined && simple[next] !== undefined) return simple[next];
  if (next === 'u' || next === 'U') {
    const code = Number.parseInt(text.slice(2, next === 'u' ? 6 : 10), 16);
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  return '';
}
