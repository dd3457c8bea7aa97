/** A plain text table: a header row and aligned columns; the last column is not padded. */
export function textTable<Row extends Record<string, string>>(
  rows: readonly Row[],
  columns: ReadonlyArray<readonly [keyof Row, string]>,
): string {
  const widths = columns.map(([key, title]) =>
    Math.max(title.length, ...rows.map((r) => String(r[key]).length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map(([, title]) => title)),
    ...rows.map((r) => line(columns.map(([key]) => String(r[key])))),
  ].join('\n');
}
