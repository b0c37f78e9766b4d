// When a zoo conversation is active. Everything is UTC and in absolute hour numbers (hours since
// the epoch), so a schedule means the same whatever the estate's dates. The pseudo-random parts
// are integer hashes of the conversation id and the hour (or day): repeatable, and different for
// every conversation.
import type { Schedule, ZooConversation } from './model';

const HOUR = 3_600_000;

/** A 32-bit integer hash (xorshift-multiply) of two integers, as a fraction in [0, 1). */
export function hashUnit(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** ISO day of week (1 = Monday) of an absolute hour. */
export const dayOfWeek = (hn: number) => ((new Date(hn * HOUR).getUTCDay() + 6) % 7) + 1;

/** Is a conversation with this id and schedule active in the hour with absolute number `hn`? */
export function activeAt(id: number, s: Schedule, hn: number): boolean {
  const d = new Date(hn * HOUR);
  const hod = d.getUTCHours();
  const dow = dayOfWeek(hn);
  const day = Math.floor(hn / 24);
  const within = (from: number, n: number) => {
    const end = from + n;
    return (hod >= from && hod < end) || (end > 24 && hod < end - 24);
  };
  switch (s.type) {
    case 'continuous':
      if (s.businessHours && !(dow <= 5 && hod >= 8 && hod < 18)) return false;
      return hashUnit(id, hn) < s.share;
    case 'daily':
      return within(s.hour, s.hours) && (!s.weekdays || dow <= 5);
    case 'weekly':
      return dow === s.dow && within(s.hour, s.hours);
    case 'monthly': {
      if (!within(s.hour, s.hours)) return false;
      const dom = d.getUTCDate();
      if (s.dom > 0) return dom === s.dom;
      // the second Tuesday of the month
      return dow === 2 && dom >= 8 && dom <= 14;
    }
    case 'once':
      return hn >= s.at && hn < s.at + s.hours;
    case 'irregular':
      if (s.weekdays && dow > 5) return false;
      return within(s.hour, s.hours) && hashUnit(id ^ 0x5bd1e995, day) < s.share;
  }
}

/** The absolute hours in [from, to) (ms) in which the conversation is active and valid. */
export function activeHours(c: Pick<ZooConversation, 'id' | 'schedule' | 'from' | 'to'>, from: number, to: number): number[] {
  const out: number[] = [];
  const h0 = Math.floor(Math.max(from, c.from) / HOUR);
  const h1 = Math.ceil(Math.min(to, c.to) / HOUR);
  for (let h = h0; h < h1; h++) if (activeAt(c.id, c.schedule, h)) out.push(h);
  return out;
}
