// The ground truth of a zoo estate (docs/estate-zoo.md, "The ground truth"), computed from the
// estate alone: the groups policy is judged by, the dependencies and the minimal label policy of
// a window, and the flows of a window with their kinds and groups.
import { HourCalendar } from './calendar';
import {
  LEGITIMATE_KINDS,
  type Endpoint,
  type Group,
  type TruthDependency,
  type TruthFlowCount,
  type TruthKind,
  type TruthRule,
  type ZooEstate,
  type ZooNetwork,
  type ZooWorkload,
} from './model';

interface Lookup {
  workloads: Map<string, ZooWorkload>;
  networks: Map<string, ZooNetwork>;
}

const lookups = new WeakMap<ZooEstate, Lookup>();

function lookup(estate: ZooEstate): Lookup {
  let l = lookups.get(estate);
  if (!l) {
    l = { workloads: new Map(estate.workloads.map((w) => [w.name, w])), networks: new Map(estate.networks.map((n) => [n.name, n])) };
    lookups.set(estate, l);
  }
  return l;
}

function workloadOf(estate: ZooEstate, name: string): ZooWorkload {
  const w = lookup(estate).workloads.get(name);
  if (!w) throw new Error(`no workload ${name} in the estate`);
  return w;
}

function networkOf(estate: ZooEstate, name: string): ZooNetwork {
  const n = lookup(estate).networks.get(name);
  if (!n) throw new Error(`no network ${name} in the estate`);
  return n;
}

/** The group an endpoint belongs to: what the minimal policy allows between. */
export function groupOf(estate: ZooEstate, endpoint: Endpoint, addr: string): Group {
  switch (endpoint.type) {
    case 'workload': {
      const t = workloadOf(estate, endpoint.name).truth;
      return `${t.app}|${t.role}|${t.env}`;
    }
    case 'network':
      return `net:${networkOf(estate, endpoint.network).cidr}`;
    case 'internet':
      return 'internet';
    case 'outside':
      return `outside:${addr}`;
    case 'dark':
      return 'dark';
  }
}

/** How Bulkhead's analysis names an endpoint, for matching its answers against the truth. */
export function endpointKey(estate: ZooEstate, endpoint: Endpoint, addr: string): string {
  switch (endpoint.type) {
    case 'workload':
      return endpoint.name;
    case 'network': {
      const n = networkOf(estate, endpoint.network);
      return n.declared ? n.cidr : addr;
    }
    case 'internet':
      return addr.includes(':') ? '::/0' : '0.0.0.0/0';
    case 'outside':
    case 'dark':
      return addr;
  }
}

export function truthWorkloads(estate: ZooEstate): Array<{ name: string; application: string; role: string; kind: TruthKind }> {
  return estate.workloads.map((w) => ({ name: w.name, application: `${w.truth.app}@${w.truth.env}`, role: w.truth.role, kind: w.truth.kind }));
}

const legitimate = new Set(LEGITIMATE_KINDS);

/** The legitimate conversations active in [from, to), one per (client, server, protocol, port). */
export function dependencies(estate: ZooEstate, from: number, to: number): TruthDependency[] {
  const calendar = new HourCalendar(from, to);
  const out = new Map<string, TruthDependency>();
  for (const c of estate.conversations) {
    if (!legitimate.has(c.kind)) continue;
    const client = endpointKey(estate, c.client, c.clientAddr);
    const server = endpointKey(estate, c.server, c.serverAddr);
    const key = `${client}|${server}|${c.protocol}|${c.port}`;
    if (out.has(key) || !calendar.any(c)) continue;
    out.set(key, {
      client,
      server,
      protocol: c.protocol,
      port: c.port,
      kind: c.kind,
      clientGroup: groupOf(estate, c.client, c.clientAddr),
      serverGroup: groupOf(estate, c.server, c.serverAddr),
    });
  }
  return [...out.values()];
}

const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

function portText(protocol: number, port: number): string {
  const name = PROTOCOL_NAMES[protocol] ?? String(protocol);
  return protocol === 1 || protocol === 58 ? name : `${name}/${port}`;
}

/** One allow rule per (client group, server group) with legitimate traffic in [from, to), its ports merged. */
export function minimalPolicy(estate: ZooEstate, from: number, to: number): TruthRule[] {
  const rules = new Map<string, { from: Group; to: Group; ports: Map<string, [number, number]> }>();
  for (const d of dependencies(estate, from, to)) {
    const key = `${d.clientGroup} ${d.serverGroup}`;
    let rule = rules.get(key);
    if (!rule) {
      rule = { from: d.clientGroup, to: d.serverGroup, ports: new Map() };
      rules.set(key, rule);
    }
    rule.ports.set(portText(d.protocol, d.port), [d.protocol, d.port]);
  }
  return [...rules.values()]
    .sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1))
    .map((r) => ({
      from: r.from,
      to: r.to,
      ports: [...r.ports.entries()].sort(([, a], [, b]) => a[0] - b[0] || a[1] - b[1]).map(([text]) => text),
    }));
}

/** Every conversation's flows in [from, to) (active hours × records per hour), scans and sweeps included. */
export function flowCounts(estate: ZooEstate, from: number, to: number): TruthFlowCount[] {
  const calendar = new HourCalendar(from, to);
  const out: TruthFlowCount[] = [];
  for (const c of estate.conversations) {
    const hours = calendar.count(c);
    if (hours === 0) continue;
    out.push({
      clientAddr: c.clientAddr,
      serverAddr: c.serverAddr,
      protocol: c.protocol,
      port: c.port,
      flows: hours * c.perHour,
      kind: c.kind,
      clientGroup: groupOf(estate, c.client, c.clientAddr),
      serverGroup: groupOf(estate, c.server, c.serverAddr),
      clientWorkload: c.client.type === 'workload' ? c.client.name : null,
      serverWorkload: c.server.type === 'workload' ? c.server.name : null,
    });
  }
  return out;
}

/** Every address a scan or a sweep came from. */
export function scannerAddresses(estate: ZooEstate): Set<string> {
  return new Set(estate.conversations.filter((c) => c.kind === 'scan' || c.kind === 'sweep').map((c) => c.clientAddr));
}
