// Coverage of a window, said honestly: which days have data, what each source delivered and
// where it went silent, whether the window (or the data in it) is shorter than the business
// cycle, and whether discovery has converged (new dependencies per day have dried up).
// Read from sources_hourly, so it never scans raw flows.
import type { Store } from '../store';
import type { AnalysisWindow, ConvergenceDay, Coverage, SourceCoverage } from './types';
import { chTime, CYCLE_DAYS, DAY_MS, HOUR_MS, windowDays } from './window';
import { count } from '../words';

/** Silent hours of a source that count as a gap. */
export const GAP_HOURS = 3;
const MAX_GAPS = 20;

interface SourceRow {
  source_kind: string;
  exporter: string;
  flows: number;
  hours: number[];
  first_seen: string;
  last_seen: string;
}

export const parseChTime = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);

export async function querySources(store: Store, w: AnalysisWindow): Promise<SourceRow[]> {
  return store.rows<SourceRow>(
    `SELECT source_kind, exporter, sum(flows) AS flows,
            groupUniqArray(toUInt32(intDiv(toUInt32(hour) - toUInt32({from:DateTime}), 3600))) AS hours,
            toString(min(first_seen)) AS first_seen, toString(max(last_seen)) AS last_seen
       FROM ${store.t('sources_hourly')}
      WHERE hour >= {from:DateTime} AND hour < {to:DateTime}
      GROUP BY source_kind, exporter
      ORDER BY source_kind, exporter`,
    { from: chTime(w.from), to: chTime(w.to) },
  );
}

/** Per-source coverage with gaps: silent stretches after the source's first hour in the window. */
export function sourceCoverage(rows: readonly SourceRow[], w: AnalysisWindow, now = Date.now()): SourceCoverage[] {
  const totalHours = Math.round((w.to.getTime() - w.from.getTime()) / HOUR_MS);
  // hours that cannot have data yet (the window reaches into the future) are not gaps
  const lastHour = Math.min(totalHours, Math.floor((now - w.from.getTime()) / HOUR_MS));
  return rows.map((r) => {
    const hours = [...r.hours].sort((a, b) => a - b);
    const gaps: SourceCoverage['gaps'] = [];
    let missing = 0;
    const push = (a: number, b: number) => {
      if (b - a < GAP_HOURS) return;
      missing += b - a;
      gaps.push({ from: new Date(w.from.getTime() + a * HOUR_MS), to: new Date(w.from.getTime() + b * HOUR_MS), hours: b - a });
    };
    for (let i = 1; i < hours.length; i++) push(hours[i - 1]! + 1, hours[i]!);
    if (hours.length) push(hours[hours.length - 1]! + 1, lastHour);
    gaps.sort((a, b) => b.hours - a.hours || a.from.getTime() - b.from.getTime());
    return {
      sourceKind: r.source_kind,
      exporter: r.exporter,
      flows: r.flows,
      hoursWithData: hours.length,
      firstSeen: parseChTime(r.first_seen),
      lastSeen: parseChTime(r.last_seen),
      gaps: gaps.slice(0, MAX_GAPS),
      missingHours: missing,
    };
  });
}

/** Distinct UTC days of the window with data from any source. */
export function daysWithData(rows: readonly SourceRow[], w: AnalysisWindow): number {
  const days = new Set<number>();
  for (const r of rows) for (const h of r.hours) days.add(Math.floor((w.from.getTime() + h * HOUR_MS) / DAY_MS));
  return days.size;
}

/**
 * New dependencies per day of the window. `firstSeen` is when each edge was first seen over the
 * whole periodicity span: an edge already seen before the window is known, not new, and counts in
 * the starting total.
 */
export function convergence(firstSeen: readonly Date[], w: AnalysisWindow, lastDataDay: number | null): { days: ConvergenceDay[]; converged: boolean } {
  const day0 = Math.floor(w.from.getTime() / DAY_MS);
  const n = Math.ceil(w.to.getTime() / DAY_MS) - day0;
  const counts = new Array<number>(n).fill(0);
  let known = 0;
  for (const t of firstSeen) {
    const i = Math.floor(t.getTime() / DAY_MS) - day0;
    if (i < 0) known++;
    else if (i < n) counts[i]!++;
  }
  const days: ConvergenceDay[] = [];
  let cum = known;
  const last = lastDataDay === null ? -1 : lastDataDay - day0;
  for (let i = 0; i <= Math.min(n - 1, last); i++) {
    cum += counts[i]!;
    days.push({ day: new Date((day0 + i) * DAY_MS).toISOString().slice(0, 10), newEdges: counts[i]!, cumulative: cum });
  }
  const recent = days.slice(-7).reduce((s, d) => s + d.newEdges, 0);
  const converged = days.length >= 14 && cum > 0 && recent <= 0.01 * cum;
  return { days, converged };
}

export function coverageOf(
  w: AnalysisWindow,
  sources: SourceCoverage[],
  dataDays: number,
  firstSeen: readonly Date[],
  excluded: Coverage['excluded'],
  facts: { workloads: number; bindings: number },
): Coverage {
  let firstData: Date | null = null;
  let lastData: Date | null = null;
  for (const s of sources) {
    if (!firstData || s.firstSeen < firstData) firstData = s.firstSeen;
    if (!lastData || s.lastSeen > lastData) lastData = s.lastSeen;
  }
  const days = windowDays(w);
  const conv = convergence(firstSeen, w, lastData ? Math.floor(lastData.getTime() / DAY_MS) : null);
  const dataSpanDays = firstData && lastData ? (lastData.getTime() - firstData.getTime()) / DAY_MS : 0;
  const shorter = days < CYCLE_DAYS - 0.01 || dataSpanDays < CYCLE_DAYS - 1;
  const notes: string[] = [];
  if (!sources.length) notes.push('No flows in this window: point exporters or flow logs at Bulkhead, or choose a window with data.');
  else {
    if (days < CYCLE_DAYS - 0.01) notes.push(`The window covers ${days.toFixed(1)} days, less than the ${CYCLE_DAYS}-day business cycle: monthly jobs, patch cycles and backups may be missing.`);
    else if (dataSpanDays < CYCLE_DAYS - 1) notes.push(`Flows cover ${dataSpanDays.toFixed(1)} days of the window, less than the ${CYCLE_DAYS}-day business cycle: monthly jobs, patch cycles and backups may be missing.`);
    const gappy = sources.filter((s) => s.gaps.length);
    for (const s of gappy.slice(0, 5)) {
      const g = s.gaps[0]!;
      notes.push(`${s.sourceKind} ${s.exporter} was silent for ${count(s.missingHours, 'hour')} in ${count(s.gaps.length, 'gap')}, the longest ${count(g.hours, 'hour')} from ${chTime(g.from).slice(0, 16)} UTC.`);
    }
    if (gappy.length > 5) notes.push(`${count(gappy.length - 5, 'more source has', 'more sources have')} gaps.`);
    if (!conv.converged) {
      const recent = conv.days.slice(-7).reduce((s, d) => s + d.newEdges, 0);
      notes.push(`Discovery has not converged: the last 7 days of data found ${count(recent, 'new dependency', 'new dependencies')}. Keep collecting before approving policy${conv.days.length < 14 ? ' (at least 14 days of data are needed to judge)' : ''}.`);
    }
    if (!facts.bindings) notes.push('No inventory: every endpoint is an address. Import inventory (workloads and their addresses) to see applications.');
    if (excluded.scanners.length) notes.push(`${count(excluded.scanners.length, 'scanning source')} excluded from the graph: ${excluded.scanners.slice(0, 3).map((s) => s.name).join(', ')}${excluded.scanners.length > 3 ? ', ...' : ''}.`);
  }
  return {
    days: Math.round(days * 100) / 100,
    daysWithData: dataDays,
    firstData,
    lastData,
    cycleDays: CYCLE_DAYS,
    shorterThanCycle: shorter,
    gapHours: GAP_HOURS,
    sources,
    convergence: conv.days,
    converged: conv.converged,
    excluded,
    notes,
  };
}
