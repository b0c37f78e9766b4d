// Inventory CSV: a header row with `name` and `addresses` (several addresses separated by `;` or
// spaces); every other column is a label (empty cells set nothing). Comma- or tab-separated,
// quoted cells as RFC 4180 has them (csv-parse), a UTF-8 BOM is fine.
//
// Each line is one record, parsed on its own: inventory cells are names, addresses and labels,
// which hold no line breaks, so a quote left open (a hand-edited file, a cut export) spoils its
// own line, reported by number, and not every line after it as a multi-line cell would.
import { parse } from 'csv-parse/sync';
import { emptyResult, type AdapterResult } from './types';

const NAME = ['name', 'workload', 'hostname', 'host'];
const ADDRESSES = ['addresses', 'address', 'ips', 'ip', 'ip addresses', 'ip_addresses'];

export function fromInventoryCsv(text: string): AdapterResult {
  const out = emptyResult();
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const firstLine = lines[0] ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: Array<{ line: number; cells: string[] }> = [];
  lines.forEach((raw, k) => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!text.trim()) return;
    try {
      const cells = (parse(text, { delimiter, relax_column_count: true, trim: true }) as string[][])[0];
      if (cells) rows.push({ line: k + 1, cells });
    } catch (e) {
      out.errors.push({ where: `line ${k + 1}`, reason: (e as Error).message.replace(/ at line \d+/, '') });
    }
  });
  if (rows.length === 0) {
    out.errors.push({ where: 'line 1', reason: 'empty file: expected a header row with name and addresses' });
    return out;
  }
  const header = rows[0]!.cells.map((h) => h.trim());
  if (rows[0]!.line !== 1 && out.errors.some((e) => e.where === 'line 1')) {
    out.errors.push({ where: 'line 1', reason: 'the header row could not be read: nothing else was read' });
    return out;
  }
  const lower = header.map((h) => h.toLowerCase());
  const nameCol = lower.findIndex((h) => NAME.includes(h));
  const addrCol = lower.findIndex((h) => ADDRESSES.includes(h));
  if (nameCol < 0 || addrCol < 0) {
    out.errors.push({ where: `line ${rows[0]!.line}`, reason: `the header row needs a "name" and an "addresses" column (found: ${header.join(', ')})` });
    return out;
  }
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!.cells;
    const line = `line ${rows[i]!.line}`;
    const name = (row[nameCol] ?? '').trim();
    if (!name) {
      out.errors.push({ where: line, reason: 'empty name' });
      continue;
    }
    if (row.length > header.length) {
      out.errors.push({ where: line, reason: `${row.length} cells where the header has ${header.length} (an address list with commas? separate addresses with ";" or spaces, or quote the cell)` });
      continue;
    }
    const addresses = (row[addrCol] ?? '').split(/[;\s]+/).filter(Boolean).map((ip) => ({ ip }));
    const labels: Record<string, string> = {};
    header.forEach((h, k) => {
      if (k === nameCol || k === addrCol || !h) return;
      const v = (row[k] ?? '').trim();
      if (v) labels[h] = v;
    });
    out.observations.push({ name, addresses, labels });
  }
  return out;
}
