// The discovery window: any [from, to), by default the last 30 days (the usual business cycle).
// Bounds are aligned to whole hours because the hourly rollup is what discovery reads: `from`
// goes down and `to` goes up to the hour, so a window never silently drops part of an hour.
import type { AnalysisWindow } from './types';
import { BulkheadError, type ErrorKind } from '../errors';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** The business cycle discovery should cover: monthly jobs, patch cycles, backups. */
export const CYCLE_DAYS = 30;
/**
 * The window every discovery view opens on when none is chosen: the map, applications,
 * workloads, coverage, the simulation, the overview's counts and the CLI's read commands
 * (docs/ui.md#windows). The business cycle, so that what the views count is what a policy
 * proposed from the same window would cover.
 */
export const DISCOVERY_DAYS = CYCLE_DAYS;
/**
 * The window the raw flow records (the flows page, `bulkhead flows`) open on: a record browser,
 * newest first, whose total counts raw rows (not the hourly rollup), so a day answers at once on
 * any estate. The page and the command say which window they show.
 */
export const FLOW_RECORDS_DAYS = 1;
/** Periodicity is judged over at least this many days before `to`, so that monthly jobs show twice. */
export const PERIODICITY_DAYS = 62;

/** A discovery window that cannot be read or is empty-handed (bad dates, from after to). */
export class WindowError extends BulkheadError {
  override name = 'WindowError';
  constructor(message: string, kind: ErrorKind = 'invalid') {
    super(kind, message);
  }
}

function parseTime(v: Date | string, what: string): Date {
  const d = v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? `${v.trim()}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) throw new WindowError(`${what}: "${String(v)}" is not a date or time (use ISO 8601, e.g. 2026-03-01 or 2026-03-01T00:00:00Z)`);
  return d;
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;

export function resolveWindow(opts: { from?: Date | string; to?: Date | string; days?: number; now?: Date } = {}): AnalysisWindow {
  const days = opts.days ?? CYCLE_DAYS;
  if (!(days > 0) || !Number.isFinite(days)) throw new WindowError(`days: ${days} is not a positive number of days`);
  const to = ceilHour((opts.to !== undefined ? parseTime(opts.to, 'to') : (opts.now ?? new Date())).getTime());
  const from = floorHour(opts.from !== undefined ? parseTime(opts.from, 'from').getTime() : to - days * DAY_MS);
  if (from >= to) throw new WindowError(`the window is empty: from ${new Date(from).toISOString()} is not before to ${new Date(to).toISOString()}`);
  return { from: new Date(from), to: new Date(to) };
}

/** The span periodicity is judged over: at least PERIODICITY_DAYS (or the given days) ending at `to`. */
export function periodicityWindow(w: AnalysisWindow, days?: number): AnalysisWindow {
  const span = Math.max(w.to.getTime() - w.from.getTime(), (days ?? PERIODICITY_DAYS) * DAY_MS);
  return { from: new Date(floorHour(w.to.getTime() - span)), to: w.to };
}

export const windowDays = (w: AnalysisWindow) => (w.to.getTime() - w.from.getTime()) / DAY_MS;

/** ClickHouse DateTime parameter text for a time (second precision, UTC). */
export const chTime = (d: Date | string | number) => new Date(d).toISOString().slice(0, 19).replace('T', ' ');
