// What the flow tables take, by time. Flows are partitioned by day: a record from a router with
// a wrong clock, or from a hostile exporter, years away from now, would make a partition of its
// own, and a batch of them more partitions than ClickHouse takes in one insert (100): the insert
// fails, and what waits behind it waits. So times are checked at the door (records outside the
// window are quarantined, never inserted into the flow tables), and a batch that still spans many
// days (an import of a long history) is cut so that no insert touches more than a bounded number
// of partitions.
import type { FlowRecord } from '../flow/record';

export interface TimeWindow {
  /** how far ahead of the clock a flow may start or end, ms */
  aheadMs: number;
  /** how far back a flow may start, ms; null: no limit (retention 0 keeps everything) */
  behindMs: number | null;
}

const DAY = 86_400_000;

/** The window a configuration sets: a day ahead by default, as far back as the retention keeps. */
export function timeWindowOf(admission: { aheadHours: number; maxAgeDays: number }): TimeWindow {
  return { aheadMs: admission.aheadHours * 3_600_000, behindMs: admission.maxAgeDays > 0 ? admission.maxAgeDays * DAY : null };
}

/** Why a record's times are outside the window (naming the field), or null. */
export function timeRefusal(r: Pick<FlowRecord, 'start' | 'end'>, w: TimeWindow, now: number): string | null {
  const ahead = now + w.aheadMs;
  if (r.start > ahead) return `start: ${new Date(r.start).toISOString()} is more than ${Math.round(w.aheadMs / 3_600_000)} h ahead of this clock`;
  if (r.end > ahead) return `end: ${new Date(r.end).toISOString()} is more than ${Math.round(w.aheadMs / 3_600_000)} h ahead of this clock`;
  if (w.behindMs !== null && r.start < now - w.behindMs) return `start: ${new Date(r.start).toISOString()} is older than the ${Math.round(w.behindMs / DAY)} days kept`;
  return null;
}

/** ClickHouse refuses an insert touching more than 100 partitions; this leaves room for the rollups. */
export const MAX_DAYS_PER_INSERT = 50;

/** A batch cut so that each part holds records of at most `maxDays` distinct days (order kept within a day). */
export function splitByDays(batch: readonly FlowRecord[], maxDays = MAX_DAYS_PER_INSERT): FlowRecord[][] {
  const days = new Map<number, FlowRecord[]>();
  for (const r of batch) {
    const d = Math.floor(r.start / DAY);
    let list = days.get(d);
    if (!list) days.set(d, (list = []));
    list.push(r);
  }
  if (days.size <= maxDays) return [batch as FlowRecord[]];
  const keys = [...days.keys()].sort((a, b) => a - b);
  const out: FlowRecord[][] = [];
  for (let i = 0; i < keys.length; i += maxDays) out.push(keys.slice(i, i + maxDays).flatMap((k) => days.get(k)!));
  return out;
}
