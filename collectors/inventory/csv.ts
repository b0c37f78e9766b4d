// Inventory CSV: a header row with `name` and `addresses` (several addresses separated by `;` or
// spaces); every other column is a label (empty cells set nothing). Comma- or tab-separated,
// quoted cells as RFC 4180 has them (csv-parse), a UTF-8 BOM is fine.
import { parse } from 'csv-parse/sync';
import { emptyResult, type AdapterResult } from './types';

const NAME = ['name', 'workload', 'hostname', 'host'];
const ADDRESSES = ['addresses', 'address', 'ips', 'ip', 'ip addresses', 'ip_addresses'];

export function fromInventoryCsv(text: string): AdapterResult {
  const out = emptyResult();
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number };
    out.errors.push({ where: err.lines ? `line ${err.lines}` : '(file)', reason: err.message });
    return out;
  }
  if (rows.length === 0) {
    out.errors.push({ where: 'line 1', reason: 'empty file: expected a header row with name and addresses' });
    return out;
  }
  const header = rows[0]!.map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const nameCol = lower.findIndex((h) => NAME.includes(h));
  const addrCol = lower.findIndex((h) => ADDRESSES.includes(h));
  if (nameCol < 0 || addrCol < 0) {
    out.errors.push({ where: 'line 1', reason: `the header row needs a "name" and an "addresses" column (found: ${header.join(', ')})` });
    return out;
  }
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    const line = `line ${i + 1}`;
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
