// Conversations expanded into flows: for every active hour of a conversation, `perHour` flows as
// an exporter would report them (both directions' counters, TCP flags per direction). Every
// choice (start, duration, client port, counters) is a hash of the conversation id, the hour and
// the flow's index, so the same estate gives the same flows whichever hours are asked for.
//
// Flows come hour by hour, each hour's sorted by start: the writers need time order (S3 objects
// and IPFIX exports are written as time passes), and an hour is the most they hold in memory.
import type { ZooConversation, ZooEstate, ZooFlow } from './model';
import { activeHours, hashUnit } from './schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const TCP = 6;
const UDP = 17;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;
/** a whole TCP session, OR-ed: the client's SYN, ACKs, data and FIN; the server's SYN-ACK, data and FIN */
const SESSION = SYN | ACK | PSH | FIN;

/** Linux's default ephemeral range (net.ipv4.ip_local_port_range 32768-60999). */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_COUNT = 60999 - 32768 + 1;
/** Coprime with EPHEMERAL_COUNT: the flows of one conversation-hour get distinct client ports. */
const PORT_STRIDE = 7919;

/** IP bytes of one ICMP echo (20 IP + 8 ICMP + 56 data, as ping sends). */
const ECHO_BYTES = 84;

/** The counters and flags of one flow; the duration bounds its end. */
type Exchange = Pick<ZooFlow, 'packets' | 'bytes' | 'revPackets' | 'revBytes' | 'tcpFlags' | 'revTcpFlags'> & { duration: number };

const oneWay = (duration: number, packets: number, bytes: number, tcpFlags: number): Exchange => ({ duration, packets, bytes, revPackets: 0, revBytes: 0, tcpFlags, revTcpFlags: 0 });

/** A scan's or sweep's probe: what the target does decides what comes back. */
function probe(c: ZooConversation, outcome: 'open' | 'reset' | 'dropped'): Exchange {
  if (c.protocol === TCP) {
    if (outcome === 'dropped') return oneWay(0, 1, 44, SYN);
    if (outcome === 'reset') return { duration: 1, packets: 1, bytes: 44, revPackets: 1, revBytes: 40, tcpFlags: SYN, revTcpFlags: RST | ACK };
    // handshake and orderly close, nothing sent: SYN, ACK, FIN-ACK, ACK against SYN-ACK, FIN-ACK
    return { duration: 3, packets: 4, bytes: 44 + 3 * 40, revPackets: 2, revBytes: 44 + 40, tcpFlags: SYN | ACK | FIN, revTcpFlags: SYN | ACK | FIN };
  }
  if (c.protocol === UDP) {
    // A closed UDP port answers with an ICMP unreachable, a flow of another protocol the zoo leaves out.
    return outcome === 'open' ? { duration: 1, packets: 1, bytes: 60, revPackets: 1, revBytes: 60, tcpFlags: 0, revTcpFlags: 0 } : oneWay(0, 1, 60, 0);
  }
  return outcome === 'dropped' ? oneWay(0, 1, ECHO_BYTES, 0) : { duration: 1, packets: 1, bytes: ECHO_BYTES, revPackets: 1, revBytes: ECHO_BYTES, tcpFlags: 0, revTcpFlags: 0 };
}

/** A hash unit for one choice (`salt`) about the flow `key` (hour and index) of conversation `id`. */
const unit = (id: number, key: number, salt: number) => hashUnit(Math.imul(id, 0x27d4eb2f) ^ salt, key);

/** Ordinary traffic: counters around the conversation's mean, with a reply. */
function exchange(c: ZooConversation, key: number): Exchange {
  if (c.outcome) return probe(c, c.outcome);
  const wanted = c.bytes * (0.5 + unit(c.id, key, 2));
  if (c.protocol === TCP) {
    const bytes = Math.max(200, Math.round(wanted));
    const packets = Math.max(4, Math.ceil(bytes / 700));
    const rev = Math.round(bytes * (0.5 + 2 * unit(c.id, key, 3)));
    const revPackets = Math.max(3, Math.ceil(rev / 1300));
    // mostly seconds, a few minutes: a cubed unit leans towards short connections
    const duration = 50 + Math.floor(unit(c.id, key, 4) ** 3 * 240_000);
    return { duration, packets, bytes: Math.max(bytes, packets * 52), revPackets, revBytes: Math.max(rev, revPackets * 52), tcpFlags: SESSION, revTcpFlags: SESSION };
  }
  if (c.protocol === UDP) {
    const bytes = Math.max(40, Math.round(wanted));
    const packets = Math.ceil(bytes / 1000);
    const rev = Math.max(40, Math.round(bytes * (1 + 2 * unit(c.id, key, 3))));
    return { duration: 1 + Math.floor(unit(c.id, key, 4) * 500), packets, bytes, revPackets: Math.ceil(rev / 1400), revBytes: rev, tcpFlags: 0, revTcpFlags: 0 };
  }
  // ICMP echo: the mean bytes say how many pings, one a second
  const pings = Math.min(10, Math.max(1, Math.round(wanted / ECHO_BYTES)));
  return { duration: (pings - 1) * 1000 + 1, packets: pings, bytes: pings * ECHO_BYTES, revPackets: pings, revBytes: pings * ECHO_BYTES, tcpFlags: 0, revTcpFlags: 0 };
}

/** The flows of conversation `c` in absolute hour `hour`, appended to `out`. */
function conversationFlows(c: ZooConversation, hour: number, out: ZooFlow[]): void {
  const slot = HOUR / c.perHour;
  const hourStart = hour * HOUR;
  const portBase = Math.floor(hashUnit(c.id, hour) * EPHEMERAL_COUNT);
  const ported = c.protocol === TCP || c.protocol === UDP;
  for (let i = 0; i < c.perHour; i++) {
    const key = Math.imul(hour, 0x165667b1) + i;
    const x = exchange(c, key);
    // One flow per slot, starting in the slot's first half and lasting at most 45% of a slot:
    // flows of one conversation never overlap (those with a fixed client port share a 5-tuple,
    // which an exporter would merge) and never cross the hour.
    const start = hourStart + Math.floor(slot * (i + 0.5 * unit(c.id, key, 1)));
    const end = start + Math.min(x.duration, Math.floor(slot * 0.45));
    out.push({
      conversation: c.id,
      start,
      end,
      srcAddr: c.clientAddr,
      srcPort: ported ? (c.clientPort ?? EPHEMERAL_FIRST + ((portBase + i * PORT_STRIDE) % EPHEMERAL_COUNT)) : 0,
      dstAddr: c.serverAddr,
      dstPort: ported ? c.port : 0,
      protocol: c.protocol,
      packets: x.packets,
      bytes: x.bytes,
      revPackets: x.revPackets,
      revBytes: x.revBytes,
      tcpFlags: x.tcpFlags,
      revTcpFlags: x.revTcpFlags,
    });
  }
}

/**
 * The flows of [from, to), one array per hour (hours without flows are skipped), each sorted by
 * start. Activity is worked out a day at a time, so memory holds a day's schedule and an hour's
 * flows, whatever the estate's size.
 */
export function* flowHours(estate: ZooEstate, from: number, to: number): Generator<ZooFlow[]> {
  for (let d0 = Math.floor(from / HOUR) * HOUR; d0 < to; d0 += DAY) {
    const d1 = Math.min(d0 + DAY, to);
    const h0 = d0 / HOUR;
    const byHour: ZooConversation[][] = Array.from({ length: Math.ceil(d1 / HOUR) - h0 }, () => []);
    for (const c of estate.conversations) for (const h of activeHours(c, d0, d1)) byHour[h - h0]!.push(c);
    for (let k = 0; k < byHour.length; k++) {
      const convs = byHour[k]!;
      if (!convs.length) continue;
      const out: ZooFlow[] = [];
      for (const c of convs) conversationFlows(c, h0 + k, out);
      out.sort((a, b) => a.start - b.start);
      yield out;
    }
  }
}

/** Every flow of [from, to): each active hour of each conversation, `perHour` flows (hour by hour, in start order within an hour). */
export function* flowsOf(estate: ZooEstate, from: number, to: number): Generator<ZooFlow> {
  for (const hour of flowHours(estate, from, to)) yield* hour;
}

/** How many flows flowsOf gives, without making them. */
export function countFlows(estate: ZooEstate, from: number, to: number): number {
  let n = 0;
  for (const c of estate.conversations) n += activeHours(c, from, to).length * c.perHour;
  return n;
}
