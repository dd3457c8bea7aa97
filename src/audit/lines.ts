import { StringDecoder } from 'node:string_decoder';

/**
 * A streaming line splitter for JSON-lines audit logs. It never holds more than one line (capped) plus one
 * chunk, so memory stays flat on files of any size, and it yields the lines of one chunk together (one await
 * per chunk, not per line). Line numbers are 1-based; a CR before the LF is dropped (CRLF files).
 */
export type LineRecord =
  | {
      readonly kind: 'line';
      readonly lineNo: number;
      readonly text: string;
      /** false for a last line without its newline: a hint that the writer was cut off */
      readonly terminated: boolean;
    }
  | { readonly kind: 'tooLong'; readonly lineNo: number; readonly chars: number };

/** Longer lines are skipped (and reported), never buffered: 64 Mi characters. */
export const DEFAULT_MAX_LINE_CHARS = 64 * 1024 * 1024;

export interface LineReaderOptions {
  readonly maxLineChars?: number;
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

export async function* readLines(
  input: AsyncIterable<string | Buffer>,
  options: LineReaderOptions = {},
): AsyncGenerator<LineRecord[]> {
  const max = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  // while > 0 the current line is over the cap: its characters are counted, not kept
  let skipped = 0;
  let lineNo = 0;
  const finish = (piece: string, terminated: boolean): LineRecord => {
    lineNo++;
    if (skipped > 0 || carry.length + piece.length > max) {
      const chars = (skipped > 0 ? skipped : carry.length) + piece.length;
      skipped = 0;
      carry = '';
      return { kind: 'tooLong', lineNo, chars };
    }
    const text = carry === '' ? piece : carry + piece;
    carry = '';
    return { kind: 'line', lineNo, text: stripCr(text), terminated };
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const out: LineRecord[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      out.push(finish(text.slice(start, nl), true));
      start = nl + 1;
    }
    const rest = text.slice(start);
    if (skipped > 0) skipped += rest.length;
    else if (carry.length + rest.length > max) {
      skipped = carry.length + rest.length;
      carry = '';
    } else carry += rest;
    if (out.length > 0) yield out;
  }
  const tail = decoder.end();
  if (skipped > 0) skipped += tail.length;
  else carry += tail;
  if (skipped > 0 || carry !== '') yield [finish('', false)];
}
