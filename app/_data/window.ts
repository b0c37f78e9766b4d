// The time window of a read-only route: `window=24h|7d|30d` or `from`/`to` (ISO 8601), as the
// pages put it in their URLs (components/window.ts).
import { z } from 'zod';
import { DISCOVERY_PRESET } from '../../components/window';

export const WINDOW_DAYS = { '24h': 1, '7d': 7, '30d': 30 } as const;

export const windowShape = {
  window: z.enum(['24h', '7d', '30d']).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
};
export const windowQuery = z.object(windowShape);

/** An exact UTC time as the API hands it out (a page cursor: 2026-03-01T12:00:00.000Z). */
export const isoTime = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, 'a UTC time such as 2026-03-01T12:00:00.000Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date and time');

export function windowOf(q: { window?: keyof typeof WINDOW_DAYS; from?: string; to?: string }, fallback: keyof typeof WINDOW_DAYS = DISCOVERY_PRESET): { from?: string; to?: string; days?: number } {
  if (q.window) return { days: WINDOW_DAYS[q.window] };
  if (q.from || q.to) return { from: q.from, to: q.to, days: WINDOW_DAYS[fallback] };
  return { days: WINDOW_DAYS[fallback] };
}
