// How regular a dependency is, from the days and hours it was active:
//
//   once        one day (or two adjacent days with a few hours: a job that crossed midnight)
//   continuous  most days of its span, spread over many hours of the day
//   daily       most days of its span, in the same few hours of the day (nightly jobs, backups)
//   weekly      active days about a week apart (median gap 5-9 days, or 9-25: fortnightly)
//   monthly     active days about a month apart (median gap 25 days or more)
//
// Days are judged over the periodicity span (at least 62 days before the window's end), so
// that a monthly job is seen twice; irregular activity falls into the band of its median gap.
import type { Periodicity } from './types';

/** Hours of the day a job may occupy and still count as a daily job rather than continuous. */
const NARROW_HOURS = 6;

export interface ActivityShape {
  /** day indexes with activity (any order, any origin) */
  days: readonly number[];
  /** distinct hours of the day (0-23) with activity */
  hoursOfDay: readonly number[];
  /** active hours in the window */
  activeHours: number;
}

export function classifyPeriodicity(a: ActivityShape): Periodicity {
  const days = [...new Set(a.days)].sort((x, y) => x - y);
  const n = days.length;
  if (n <= 1) return a.activeHours >= 12 && a.hoursOfDay.length > NARROW_HOURS ? 'continuous' : 'once';
  const span = days[n - 1]! - days[0]! + 1;
  if (n === 2 && span === 2) return a.activeHours >= 12 && a.hoursOfDay.length > NARROW_HOURS ? 'continuous' : 'once';
  const gaps: number[] = [];
  for (let i = 1; i < n; i++) gaps.push(days[i]! - days[i - 1]!);
  gaps.sort((x, y) => x - y);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  const narrow = a.hoursOfDay.length <= NARROW_HOURS;
  if (n / span >= 0.6 || median < 5) return narrow ? 'daily' : 'continuous';
  if (median < 25) return 'weekly';
  return 'monthly';
}

/** Most regular first: folding edges keeps the most regular of them. */
export const PERIODICITY_ORDER: readonly Periodicity[] = ['continuous', 'daily', 'weekly', 'monthly', 'once'];

export function mostRegular(a: Periodicity, b: Periodicity): Periodicity {
  return PERIODICITY_ORDER.indexOf(a) <= PERIODICITY_ORDER.indexOf(b) ? a : b;
}
