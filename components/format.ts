// How numbers, sizes, times and ports read on every page (one place, so tables and charts agree).
import { protocolName, protocolNumber as libProtocolNumber } from '../lib/flow/record';

const nf = new Intl.NumberFormat('en-US');
export const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : nf.format(n));

/** 1234 -> "1.2k", 12_345_678 -> "12.3M" */
export function compact(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  for (const [d, s] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (a >= d) return `${(n / d).toFixed(a / d < 10 ? 1 : 0)}${s}`;
  }
  return String(n);
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i === 0 || v >= 100 ? 0 : 1)} ${units[i]}`;
}

export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`);

/** "2026-11-21 09:00 UTC": the product reasons in UTC (windows, days, rollups). */
export function utc(t: string | number | Date | null | undefined, withSeconds = false): string {
  if (t === null || t === undefined || t === '') return '—';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, withSeconds ? 19 : 16).replace('T', ' ')} UTC`;
}

export const day = (t: string | number | Date) => new Date(t).toISOString().slice(0, 10);

/** "3 h ago", "2 d ago" */
export function ago(t: string | number | Date | null | undefined, now = Date.now()): string {
  if (t === null || t === undefined) return '—';
  const s = Math.round((now - new Date(t).getTime()) / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400 * 2) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export { protocolName };
export const protocolNumber = (s: string): number | null => libProtocolNumber(s.trim()) ?? null;

export { addressPort, flowPortLabel, icmpMessage, portLabel } from '../lib/flow/ports';
export { count } from '../lib/words';

/** Milliseconds as people read a duration. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
