// The estate's conversations as they are generated: one per (client address, server address,
// protocol, port) and holding period. A conversation between machines follows their address
// histories, so when an address changes hands the old holder's conversation ends and the new
// holder's begins.
import type { ConversationKind, Endpoint, Schedule, ZooConversation } from './model';
import type { Machine } from './skeleton';

export const HOUR = 3_600_000;

/** An address held by something that is not a workload (or a workload's one holding): who, where, when. */
export interface Holding {
  endpoint: Endpoint;
  addr: string;
  from: number;
  to: number;
}

export type Side = Machine | Holding;

export interface Traffic {
  protocol: number;
  port: number;
  schedule: Schedule;
  perHour: number;
  bytes: number;
  clientPort?: number;
  outcome?: ZooConversation['outcome'];
}

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;

export class ConversationLog {
  readonly conversations: ZooConversation[] = [];
  private readonly periods = new Map<string, Array<[number, number]>>();

  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  holdings(side: Side): Holding[] {
    if (!('workload' in side)) return [side];
    const endpoint: Endpoint = { type: 'workload', name: side.workload.name };
    return side.workload.bindings.map((b) => ({ endpoint, addr: b.ip, from: b.from, to: b.to ?? this.end }));
  }

  /**
   * Adds the conversation for every pair of client and server holdings that overlap in time.
   * A second conversation for a key and period already taken is dropped: the first one (the
   * legitimate traffic, generated before scans and sweeps) is what that address pair does.
   */
  link(kind: ConversationKind, client: Side, server: Side, t: Traffic): void {
    if (client === server) return;
    for (const c of this.holdings(client)) {
      for (const s of this.holdings(server)) {
        const from = Math.max(c.from, s.from, this.start);
        const to = Math.min(c.to, s.to, this.end);
        if (from >= to || c.addr === s.addr) continue;
        const key = `${c.addr}>${s.addr}/${t.protocol}/${t.port}`;
        const taken = this.periods.get(key);
        if (taken?.some(([a, b]) => from < b && a < to)) continue;
        if (taken) taken.push([from, to]);
        else this.periods.set(key, [[from, to]]);
        const conversation: ZooConversation = {
          id: this.conversations.length + 1,
          kind,
          client: c.endpoint,
          server: s.endpoint,
          clientAddr: c.addr,
          serverAddr: s.addr,
          protocol: t.protocol,
          port: t.port,
          from,
          to,
          schedule: t.schedule,
          perHour: t.perHour,
          bytes: t.bytes,
        };
        if (t.clientPort !== undefined) conversation.clientPort = t.clientPort;
        if (t.outcome) conversation.outcome = t.outcome;
        this.conversations.push(conversation);
      }
    }
  }
}

/** Holding of an address outside the estate's workloads for the whole data span, or a part of it. */
export const outsider = (endpoint: Endpoint, addr: string, from: number, to: number): Holding => ({ endpoint, addr, from, to });

/** A stable choice among `n` for a machine (by its first address) or an address, so each keeps its servers. */
export function spread(of: Machine | string, n: number, salt = 0): number {
  const ip = typeof of === 'string' ? of : of.workload.bindings[0]?.ip ?? '';
  let h = salt * 31 + 7;
  for (let i = 0; i < ip.length; i++) h = (Math.imul(h, 31) + ip.charCodeAt(i)) >>> 0;
  return h % Math.max(1, n);
}
