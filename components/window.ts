// The time window of a page, as it travels in URLs: a preset (`window=24h|7d|30d`) or a custom
// range (`from=...&to=...`, ISO 8601). Discovery reads whole hours (the rollup's resolution),
// so windows end at the next full hour.
import { DISCOVERY_DAYS, FLOW_RECORDS_DAYS } from '../lib/analysis/window';

export const PRESETS = { '24h': 1, '7d': 7, '30d': 30 } as const;
export type Preset = keyof typeof PRESETS;
export const isPreset = (s: unknown): s is Preset => typeof s === 'string' && s in PRESETS;

function presetOf(days: number): Preset {
  const p = (Object.keys(PRESETS) as Preset[]).find((k) => PRESETS[k] === days);
  if (!p) throw new Error(`no window preset of ${days} days`);
  return p;
}
/** What discovery views open on (lib/analysis/window.ts DISCOVERY_DAYS), and the raw flow records. */
export const DISCOVERY_PRESET = presetOf(DISCOVERY_DAYS);
export const FLOW_RECORDS_PRESET = presetOf(FLOW_RECORDS_DAYS);

export interface WindowSpec {
  preset: Preset | null;
  from: string;
  to: string;
}

const HOUR = 3600_000;

/** Resolve URL parameters to a window; `fallback` when none is given. */
export function resolveWindowParams(p: { window?: string | null; from?: string | null; to?: string | null }, fallback: Preset = DISCOVERY_PRESET, now = Date.now()): WindowSpec {
  const from = p.from ? Date.parse(p.from) : NaN;
  const to = p.to ? Date.parse(p.to) : NaN;
  if (!isPreset(p.window) && Number.isFinite(from) && Number.isFinite(to) && from < to) {
    return { preset: null, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }
  const preset = isPreset(p.window) ? p.window : fallback;
  const end = Math.ceil(now / HOUR) * HOUR;
  return { preset, from: new Date(end - PRESETS[preset] * 24 * HOUR).toISOString(), to: new Date(end).toISOString() };
}

export function windowLabel(w: WindowSpec): string {
  if (w.preset === '24h') return 'last 24 hours';
  if (w.preset) return `last ${PRESETS[w.preset]} days`;
  return `${w.from.slice(0, 16).replace('T', ' ')} – ${w.to.slice(0, 16).replace('T', ' ')} UTC`;
}

/** URL parameters for a window (what links carry). */
export function windowParams(w: WindowSpec): Record<string, string> {
  return w.preset ? { window: w.preset } : { from: w.from, to: w.to };
}
