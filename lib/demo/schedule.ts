// When a generated conversation is active: one small formula per kind of schedule, written twice,
// once in TypeScript (to know the ground truth: which dependencies exist in a window and how
// regular they are) and once in ClickHouse SQL (to expand schedules into flow records inside the
// engine). schedule.test.ts checks that the two agree hour by hour.
//
// Everything is in UTC and in absolute hour numbers (hours since the epoch), so the formulas do
// not depend on where the data starts. Pseudo-random choices are integer hashes that both
// languages compute exactly (all intermediate values stay below 2^53).
import type { Periodicity } from '../analysis/types';

export type Schedule =
  /** active in `pct`% of hours (of business hours only when businessHours) */
  | { type: 'continuous'; pct: number; businessHours?: boolean }
  /** every day (or weekday) from `hour` for `hours` hours */
  | { type: 'daily'; hour: number; hours: number; weekdays?: boolean }
  /** on ISO day of week `dow` (1 = Monday) from `hour` for `hours` hours */
  | { type: 'weekly'; dow: number; hour: number; hours: number }
  /** on day of month `dom` (1-28), or the second Tuesday when dom = 0 (patch Tuesday), from `hour` */
  | { type: 'monthly'; dom: number; hour: number; hours: number }
  /** once, from absolute hour number `at` for `hours` hours */
  | { type: 'once'; at: number; hours: number }
  /** on `pct`% of days, chosen by hash, from `hour` for `hours` hours (interactive sessions) */
  | { type: 'irregular'; pct: number; hour: number; hours: number };

export const SCHEDULE_CODES = { continuous: 0, daily: 1, weekly: 2, monthly: 3, once: 4, irregular: 5 } as const;

/** The schedule as the four numbers the SQL expansion reads (stype, p1, p2, p3). */
export function scheduleColumns(s: Schedule): [number, number, number, number] {
  switch (s.type) {
    case 'continuous':
      return [0, s.pct, s.businessHours ? 1 : 0, 0];
    case 'daily':
      return [1, s.hour, s.hours, s.weekdays ? 1 : 0];
    case 'weekly':
      return [2, s.dow, s.hour, s.hours];
    case 'monthly':
      return [3, s.dom, s.hour, s.hours];
    case 'once':
      return [4, s.at, s.hours, 0];
    case 'irregular':
      return [5, s.pct, s.hour, s.hours];
  }
}

const HOUR = 3_600_000;

/** Is a conversation with this id and schedule active in the hour with absolute number `hn`? */
export function activeAt(id: number, s: Schedule, hn: number): boolean {
  const d = new Date(hn * HOUR);
  const hod = d.getUTCHours();
  const dow = ((d.getUTCDay() + 6) % 7) + 1;
  const dom = d.getUTCDate();
  const within = (from: number, n: number) => hod >= from && hod < from + n;
  switch (s.type) {
    case 'continuous':
      if (s.businessHours && !(dow <= 5 && hod >= 8 && hod < 18)) return false;
      return (hn * 7919 + id * 104729) % 100 < s.pct;
    case 'daily':
      return within(s.hour, s.hours) && (!s.weekdays || dow <= 5);
    case 'weekly':
      return dow === s.dow && within(s.hour, s.hours);
    case 'monthly':
      return (s.dom === 0 ? dow === 2 && dom >= 8 && dom <= 14 : dom === s.dom) && within(s.hour, s.hours);
    case 'once':
      return hn >= s.at && hn < s.at + s.hours;
    case 'irregular':
      return (Math.floor(hn / 24) * 37 + id * 11) % 100 < s.pct && within(s.hour, s.hours);
  }
}

/**
 * The same predicate in ClickHouse SQL over columns id, stype, p1, p2, p3 and `hn` (UInt64 hour
 * number), with `t` the hour as DateTime.
 */
export const ACTIVE_SQL = `multiIf(
  stype = 0, (p2 = 0 OR (toDayOfWeek(t) <= 5 AND toHour(t) >= 8 AND toHour(t) < 18)) AND (hn * 7919 + id * 104729) % 100 < p1,
  stype = 1, toHour(t) >= p1 AND toHour(t) < p1 + p2 AND (p3 = 0 OR toDayOfWeek(t) <= 5),
  stype = 2, toDayOfWeek(t) = p1 AND toHour(t) >= p2 AND toHour(t) < p2 + p3,
  stype = 3, if(p1 = 0, toDayOfWeek(t) = 2 AND toDayOfMonth(t) BETWEEN 8 AND 14, toDayOfMonth(t) = p1) AND toHour(t) >= p2 AND toHour(t) < p2 + p3,
  stype = 4, hn >= p1 AND hn < p1 + p2,
  stype = 5, (intDiv(hn, 24) * 37 + id * 11) % 100 < p1 AND toHour(t) >= p2 AND toHour(t) < p2 + p3,
  0)`;

/** The periodicity a person would give this schedule, seen over `occurrences` runs. */
export function schedulePeriodicity(s: Schedule, occurrenceDays: number): Periodicity {
  switch (s.type) {
    case 'continuous':
      return 'continuous';
    case 'daily':
      return 'daily';
    case 'weekly':
      return occurrenceDays >= 2 ? 'weekly' : 'once';
    case 'monthly':
      return occurrenceDays >= 2 ? 'monthly' : 'once';
    case 'once':
      return 'once';
    case 'irregular':
      // interactive sessions on random days have no true period; not scored
      return 'daily';
  }
}
