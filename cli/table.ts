// Tables on the terminal: columns padded to their widest cell, cells longer than `maxCell`
// shortened in the middle (the whole value is in --json and the `show` commands), so one long
// selector or CIDR list does not push every other column off the screen.
export function table(rows: string[][], opts: { maxCell?: number } = {}): string {
  const max = opts.maxCell ?? 60;
  const cut = (c: string) => (c.length <= max ? c : `${c.slice(0, Math.ceil((max - 1) / 2))}…${c.slice(c.length - Math.floor((max - 1) / 2))}`);
  const cells = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : cut(c))));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}
