import { Readable } from 'node:stream';
import { readLines, type LineRecord } from '../../../src/audit/lines';

async function collect(chunks: readonly (string | Buffer)[], maxLineChars?: number): Promise<LineRecord[]> {
  const out: LineRecord[] = [];
  const options = maxLineChars === undefined ? {} : { maxLineChars };
  for await (const records of readLines(Readable.from(chunks), options)) out.push(...records);
  return out;
}

describe('readLines', () => {
  it('numbers lines from 1 across chunk boundaries', async () => {
    const lines = await collect(['{"a"', ':1}\n{"b":2}\n', '{"c":3}\n']);
    expect(lines).toEqual([
      { kind: 'line', lineNo: 1, text: '{"a":1}', terminated: true },
      { kind: 'line', lineNo: 2, text: '{"b":2}', terminated: true },
      { kind: 'line', lineNo: 3, text: '{"c":3}', terminated: true },
    ]);
  });

  it('drops the CR of CRLF line ends, also when CR and LF fall in different chunks', async () => {
    const lines = await collect(['a\r\nb\r', '\nc\r\n']);
    expect(lines.map((l) => (l.kind === 'line' ? l.text : '?'))).toEqual(['a', 'b', 'c']);
  });

  it('keeps empty lines (the caller counts them) and their numbers', async () => {
    const lines = await collect(['a\n\n  \nb\n']);
    expect(lines.map((l) => [l.lineNo, l.kind === 'line' ? l.text : '?'])).toEqual([
      [1, 'a'],
      [2, ''],
      [3, '  '],
      [4, 'b'],
    ]);
  });

  it('marks a last line without newline as not terminated (a truncated file)', async () => {
    const lines = await collect(['{"a":1}\n{"b":']);
    expect(lines[1]).toEqual({ kind: 'line', lineNo: 2, text: '{"b":', terminated: false });
  });

  it('yields nothing for an empty input and no phantom line after a final newline', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(['x\n'])).toHaveLength(1);
  });

  it('decodes UTF-8 characters split across Buffer chunks', async () => {
    const bytes = Buffer.from('{"u":"é€"}\n', 'utf8');
    const lines = await collect([bytes.subarray(0, 8), bytes.subarray(8)]);
    expect(lines).toEqual([{ kind: 'line', lineNo: 1, text: '{"u":"é€"}', terminated: true }]);
  });

  it('skips a line over the cap without buffering it and goes on with the next one', async () => {
    const huge = 'x'.repeat(250);
    const lines = await collect(
      ['ok\n', huge.slice(0, 100), huge.slice(100), '\nafter\n', 'y'.repeat(120)],
      100,
    );
    expect(lines).toEqual([
      { kind: 'line', lineNo: 1, text: 'ok', terminated: true },
      { kind: 'tooLong', lineNo: 2, chars: 250 },
      { kind: 'line', lineNo: 3, text: 'after', terminated: true },
      { kind: 'tooLong', lineNo: 4, chars: 120 },
    ]);
  });

  it('reads a huge line under the cap in one piece', async () => {
    const huge = `{"k":"${'z'.repeat(3_000_000)}"}`;
    const chunks: string[] = [];
    for (let i = 0; i < huge.length; i += 65536) chunks.push(huge.slice(i, i + 65536));
    const lines = await collect([...chunks, '\n']);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.kind === 'line' && lines[0].text.length).toBe(huge.length);
  });
});
