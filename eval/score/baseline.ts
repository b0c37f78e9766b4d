// An exported baseline (`bulkhead export --format baseline`) read the way an outside auditor
// would: rules between selectors, and the workloads the labels resolve to. Written apart from
// lib/policy on purpose: the measurement must not share the code it measures. Only the documented
// format (docs/exports.md, docs/baseline.schema.json) is assumed.
import { BlockList, isIPv6 } from 'node:net';

export interface BaselineSelector {
  labels?: Record<string, string>;
  cidr?: string;
  except?: string[];
  any?: true;
}

export interface BaselinePort {
  protocol: 'tcp' | 'udp' | 'icmp' | 'any';
  port?: number;
  endPort?: number;
}

export interface BaselineDocument {
  workloads: Array<{ name: string; addresses: string[]; labels: Record<string, string> }>;
  rules: Array<{ id: string; action: string; from: BaselineSelector; to: BaselineSelector; ports: BaselinePort[]; status?: string }>;
}

/** A fixed-size bit set over rule indexes or workload indexes (lib/policy/blast.ts has its own: the scorer shares no code with what it measures). */
export class Bits {
  readonly w: Uint32Array;
  constructor(readonly n: number) {
    this.w = new Uint32Array((n + 31) >>> 5);
  }
  set(i: number) {
    this.w[i >>> 5]! |= 1 << (i & 31);
  }
  has(i: number) {
    return (this.w[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  or(o: Bits) {
    for (let k = 0; k < this.w.length; k++) this.w[k]! |= o.w[k]!;
  }
  count() {
    let c = 0;
    for (let k = 0; k < this.w.length; k++) {
      let v = this.w[k]!;
      while (v) {
        v &= v - 1;
        c++;
      }
    }
    return c;
  }
  *each(): Generator<number> {
    for (let k = 0; k < this.w.length; k++) {
      let v = this.w[k]!;
      while (v) {
        const t = v & -v;
        yield (k << 5) + (31 - Math.clz32(t));
        v ^= t;
      }
    }
  }
  /** indexes set in both */
  *common(o: Bits): Generator<number> {
    for (let k = 0; k < this.w.length; k++) {
      let v = this.w[k]! & o.w[k]!;
      while (v) {
        const t = v & -v;
        yield (k << 5) + (31 - Math.clz32(t));
        v ^= t;
      }
    }
  }
}

const family = (addr: string) => (isIPv6(addr) ? 'ipv6' : 'ipv4');

/** A CIDR selector as a pair of block lists (the range, and its exceptions). */
function cidrMatcher(s: BaselineSelector): (addr: string) => boolean {
  const inside = new BlockList();
  const [net, len] = s.cidr!.split('/');
  inside.addSubnet(net!, Number(len), family(net!));
  const out = new BlockList();
  for (const e of s.except ?? []) {
    const [en, el] = e.split('/');
    out.addSubnet(en!, Number(el ?? (isIPv6(en!) ? 128 : 32)), family(en!));
  }
  return (addr) => inside.check(addr, family(addr)) && !out.check(addr, family(addr));
}

const PROTO: Record<string, number> = { tcp: 6, udp: 17 };

function portMatches(specs: readonly BaselinePort[], protocol: number, port: number): boolean {
  for (const p of specs) {
    if (p.protocol === 'any') return true;
    if (p.protocol === 'icmp') {
      if (protocol === 1 || protocol === 58) return true;
      continue;
    }
    if (PROTO[p.protocol] !== protocol) continue;
    if (p.port === undefined) return true;
    if (port >= p.port && port <= (p.endPort ?? p.port)) return true;
  }
  return false;
}

/**
 * Decides flows and reach under a baseline's allow rules (the only action the format has had:
 * anything not allowed is denied). Rules other than `allow` are ignored here and counted.
 */
export class BaselinePolicy {
  readonly rules: BaselineDocument['rules'];
  readonly ignored: number;
  private readonly byName: Map<string, { labels: Record<string, string> }>;
  private readonly cidr: Array<((addr: string) => boolean) | null>[];
  private readonly memo = new Map<string, Bits>();

  constructor(doc: BaselineDocument) {
    this.rules = doc.rules.filter((r) => r.action === 'allow');
    this.ignored = doc.rules.length - this.rules.length;
    this.byName = new Map(doc.workloads.map((w) => [w.name, w]));
    this.cidr = this.rules.map((r) => [r.from.cidr ? cidrMatcher(r.from) : null, r.to.cidr ? cidrMatcher(r.to) : null]);
  }

  private sideMatches(s: BaselineSelector, matcher: ((a: string) => boolean) | null, workload: string | null, addr: string): boolean {
    if (s.any) return true;
    if (s.labels) {
      const w = workload ? this.byName.get(workload) : undefined;
      if (!w) return false;
      for (const [k, v] of Object.entries(s.labels)) if ((k === 'workload' ? workload : w.labels[k]) !== v) return false;
      return true;
    }
    return matcher ? matcher(addr) : false;
  }

  /**
   * Rules a side of which names an application (`app`) that no workload of the document carries,
   * unless `retired(app)` says its workloads are all gone by the document's time (a rule over
   * them is stale, not wrong): what is left is a name that drifted between the analysis that
   * proposed the rule and the labels the workloads got. Other labels are left out: a role whose
   * only workload retired (a replaced batch worker) is a stale rule too.
   */
  namingNoApplication(retired: (app: string) => boolean): number {
    const apps = new Set([...this.byName.values()].map((w) => w.labels.app).filter((a) => a !== undefined));
    const names = (s: BaselineSelector) => s.labels?.app === undefined || apps.has(s.labels.app) || retired(s.labels.app);
    return this.rules.filter((r) => !names(r.from) || !names(r.to)).length;
  }

  /** The rules whose side (0 from, 1 to) selects this endpoint: a workload (by name) at this address, or a bare address. */
  rulesFor(side: 0 | 1, workload: string | null, addr: string): Bits {
    const key = `${side}|${workload ?? ''}|${addr}`;
    let b = this.memo.get(key);
    if (b) return b;
    b = new Bits(this.rules.length);
    this.rules.forEach((r, i) => {
      if (this.sideMatches(side === 0 ? r.from : r.to, this.cidr[i]![side]!, workload, addr)) b!.set(i);
    });
    this.memo.set(key, b);
    return b;
  }

  /** Does some rule allow this conversation? */
  allows(f: { clientWorkload: string | null; clientAddr: string; serverWorkload: string | null; serverAddr: string; protocol: number; port: number }): boolean {
    const a = this.rulesFor(0, f.clientWorkload, f.clientAddr);
    const b = this.rulesFor(1, f.serverWorkload, f.serverAddr);
    for (const i of a.common(b)) if (portMatches(this.rules[i]!.ports, f.protocol, f.port)) return true;
    return false;
  }
}
