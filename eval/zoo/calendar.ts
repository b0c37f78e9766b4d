// Active hours of many conversations over one window. ./schedule.ts's activeAt builds two Dates
// for every hour it is asked about, which over the conversations of a 2,000-workload estate takes
// minutes; here the calendar of the window's hours is worked out once and every schedule is read
// against it, with activeAt's semantics exactly (estate.test.ts checks the two agree).
import type { ZooConversation } from './model';
import { dayOfWeek, hashUnit } from './schedule';

const HOUR = 3_600_000;

type Timed = Pick<ZooConversation, 'id' | 'schedule' | 'from' | 'to'>;

export class HourCalendar {
  private readonly first: number;
  private readonly hod: Uint8Array;
  private readonly dow: Uint8Array;
  private readonly dom: Uint8Array;

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {
    this.first = Math.floor(from / HOUR);
    const n = Math.max(0, Math.ceil(to / HOUR) - this.first);
    this.hod = new Uint8Array(n);
    this.dow = new Uint8Array(n);
    this.dom = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const hn = this.first + i;
      const d = new Date(hn * HOUR);
      this.hod[i] = d.getUTCHours();
      this.dow[i] = dayOfWeek(hn);
      this.dom[i] = d.getUTCDate();
    }
  }

  /** the number of hours in the window in which the conversation is valid and active (up to `limit`) */
  count(c: Timed, limit = Infinity): number {
    const lo = Math.floor(Math.max(this.from, c.from) / HOUR) - this.first;
    const hi = Math.ceil(Math.min(this.to, c.to) / HOUR) - this.first;
    const { hod, dow, dom } = this;
    const s = c.schedule;
    const within = (i: number, start: number, hours: number) => {
      const h = hod[i] as number;
      return (h >= start && h < start + hours) || (start + hours > 24 && h < start + hours - 24);
    };
    let active: (i: number) => boolean;
    switch (s.type) {
      case 'continuous':
        active = (i) => {
          const h = hod[i] as number;
          return (!s.businessHours || ((dow[i] as number) <= 5 && h >= 8 && h < 18)) && hashUnit(c.id, this.first + i) < s.share;
        };
        break;
      case 'daily':
        active = (i) => within(i, s.hour, s.hours) && (!s.weekdays || (dow[i] as number) <= 5);
        break;
      case 'weekly':
        active = (i) => dow[i] === s.dow && within(i, s.hour, s.hours);
        break;
      case 'monthly':
        active = (i) => within(i, s.hour, s.hours) && (s.dom > 0 ? dom[i] === s.dom : dow[i] === 2 && (dom[i] as number) >= 8 && (dom[i] as number) <= 14);
        break;
      case 'once':
        active = (i) => this.first + i >= s.at && this.first + i < s.at + s.hours;
        break;
      case 'irregular':
        active = (i) => !(s.weekdays && (dow[i] as number) > 5) && within(i, s.hour, s.hours) && hashUnit(c.id ^ 0x5bd1e995, Math.floor((this.first + i) / 24)) < s.share;
        break;
    }
    let n = 0;
    for (let i = Math.max(0, lo); i < hi && n < limit; i++) if (active(i)) n++;
    return n;
  }

  /** is the conversation active in at least one hour of the window? */
  any(c: Timed): boolean {
    return this.count(c, 1) > 0;
  }
}
