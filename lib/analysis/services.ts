// Shared core services and management paths, recognised by behaviour.
//
// A core service is a workload that many workloads use on the same port (or that reaches many
// workloads on the same port: monitoring scrapes, backup pulls), across applications. The port
// only names the kind of service (DNS, NTP, directory, ...); what makes it core is the fan-in
// or fan-out. Candidates are found before clustering (so that they do not glue applications
// together) and confirmed after it: a candidate whose peers sit in fewer than three
// applications is an ordinary member of the application it serves (a busy database).
//
// Management paths are sessions on management ports (SSH, RDP, WinRM, VNC, IPMI, hypervisor
// management) and anything a management station (a jump host: management sessions to many
// workloads) opens.
import type { AnalysisEdge, CoreServiceKind } from './types';
import { isInternetAddress } from '../flow/scope';

export const MANAGEMENT_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'ssh'], [23, 'telnet'], [3389, 'rdp'], [5985, 'winrm'], [5986, 'winrm'], [5900, 'vnc'], [623, 'ipmi'],
  [902, 'vmware'], [903, 'vmware'], [8006, 'proxmox'], [16509, 'libvirt'], [2375, 'docker'], [2376, 'docker'],
]);
const TCP = 6;
const UDP = 17;

/** Ports that name a kind of core service, for services that receive (clients connect to them). */
// Most specific first: a domain controller serves DNS and NTP too, and is a directory.
const SERVED_KIND: ReadonlyArray<[CoreServiceKind, ReadonlySet<number>]> = [
  ['directory', new Set([88, 389, 636, 464, 3268, 3269, 749])],
  ['dns', new Set([53, 853, 5353])],
  ['ntp', new Set([123])],
  ['logging', new Set([514, 601, 6514, 1514, 5044, 24224, 12201, 10514])],
  ['monitoring', new Set([10051, 2003, 2004, 8125, 4317, 4318, 9091])],
  ['backup', new Set([9103, 1556, 13724, 6106, 10102])],
  ['proxy', new Set([3128, 8118])],
  ['patching', new Set([8530, 8531])],
];
/** Ports that name a kind of core service that reaches out (agents it polls). */
const REACHING_KIND: ReadonlyArray<[CoreServiceKind, ReadonlySet<number>]> = [
  ['monitoring', new Set([9100, 10050, 161, 9182, 5666, 4700, 0])],
  ['backup', new Set([9102, 1556, 13724, 10000, 6106, 9392])],
];
const HTTP = new Set([80, 443, 8080, 8443]);

export interface Hub {
  id: string;
  /** 'in': many clients come to it; 'out': it reaches many servers */
  direction: 'in' | 'out';
  /** "protocol/port" keys on which it is a hub */
  ports: Set<string>;
  /** distinct workload peers on those ports */
  peers: Set<string>;
  kind: CoreServiceKind;
}

export const portKey = (protocol: number, port: number) => `${protocol}/${port}`;

/** Fan-in or fan-out a workload needs on one port to be a candidate core service. */
export function hubThreshold(activeWorkloads: number): number {
  return Math.max(10, Math.ceil(activeWorkloads * 0.05));
}

/**
 * On a port that names an infrastructure service (WSUS, a proxy, syslog, Kerberos...) fewer
 * clients make a candidate: a WSUS server only the Windows machines use is still the estate's
 * patch server, not a member of the one application with the most Windows machines.
 */
export const KNOWN_KIND_MIN_CLIENTS = 3;

/** The kind a served port names, or null. */
export function servedKind(port: number): CoreServiceKind | null {
  for (const [kind, set] of SERVED_KIND) if (set.has(port)) return kind;
  return null;
}

/**
 * A forward proxy is known by what it does, whatever port it listens on (3128, but as often
 * 8080 or 80): it opens web connections to many internet addresses on behalf of its clients.
 * A machine that reaches this many distinct internet addresses on web ports and serves a web
 * port to others is judged as a proxy: its clients need only KNOWN_KIND_MIN_CLIENTS.
 */
export const PROXY_MIN_UPSTREAMS = 5;

/** Management stations open sessions on management ports to at least this many workloads. */
export const STATION_MIN_TARGETS = 5;

export function isManagementPort(protocol: number, port: number): boolean {
  return (protocol === TCP || protocol === UDP) && MANAGEMENT_PORTS.has(port);
}

export interface ServiceCandidates {
  hubs: Map<string, Hub>;
  stations: Set<string>;
}

/**
 * Candidates among workload-to-workload edges: hubs by fan-in/fan-out per port, and management
 * stations. `isWorkload` tells endpoints that are workloads.
 */
export function findCandidates(edges: readonly AnalysisEdge[], isWorkload: (id: string) => boolean, activeWorkloads: number): ServiceCandidates {
  const threshold = hubThreshold(activeWorkloads);
  const inPeers = new Map<string, Map<string, Set<string>>>();
  const outPeers = new Map<string, Map<string, Set<string>>>();
  const mgmtTargets = new Map<string, Set<string>>();
  const add = (m: Map<string, Map<string, Set<string>>>, a: string, k: string, b: string) => {
    let byPort = m.get(a);
    if (!byPort) m.set(a, (byPort = new Map()));
    let s = byPort.get(k);
    if (!s) byPort.set(k, (s = new Set()));
    s.add(b);
  };
  const upstreams = new Map<string, Set<string>>();
  for (const e of edges) {
    if (isWorkload(e.from) && !isWorkload(e.to) && HTTP.has(e.port) && isInternetAddress(e.to)) {
      let s = upstreams.get(e.from);
      if (!s) upstreams.set(e.from, (s = new Set()));
      s.add(e.to);
    }
    if (!isWorkload(e.from) || !isWorkload(e.to)) continue;
    const k = portKey(e.protocol, e.port);
    add(inPeers, e.to, k, e.from);
    add(outPeers, e.from, k, e.to);
    if (isManagementPort(e.protocol, e.port)) {
      let s = mgmtTargets.get(e.from);
      if (!s) mgmtTargets.set(e.from, (s = new Set()));
      s.add(e.to);
    }
  }
  const stations = new Set<string>();
  for (const [id, targets] of mgmtTargets) if (targets.size >= STATION_MIN_TARGETS) stations.add(id);

  // A workload is a hub in the direction where it has more peers on hub ports: a DNS server
  // that also sends its logs is an incoming hub, a monitoring server an outgoing one.
  const forwards = (id: string) => (upstreams.get(id)?.size ?? 0) >= PROXY_MIN_UPSTREAMS;
  const hubPorts = (id: string, byPort: Map<string, Set<string>> | undefined, incoming: boolean) => {
    const ports = new Set<string>();
    const peers = new Set<string>();
    for (const [k, ps] of byPort ?? []) {
      const [proto, port] = k.split('/').map(Number) as [number, number];
      if (isManagementPort(proto, port)) continue;
      const known = incoming && (servedKind(port) || (HTTP.has(port) && forwards(id)));
      if (ps.size < (known ? Math.min(threshold, KNOWN_KIND_MIN_CLIENTS) : threshold)) continue;
      ports.add(k);
      for (const p of ps) peers.add(p);
    }
    return { ports, peers };
  };
  const hubs = new Map<string, Hub>();
  for (const id of new Set([...inPeers.keys(), ...outPeers.keys()])) {
    if (stations.has(id)) continue;
    const i = hubPorts(id, inPeers.get(id), true);
    const o = hubPorts(id, outPeers.get(id), false);
    if (!i.ports.size && !o.ports.size) continue;
    const h = i.peers.size >= o.peers.size ? { direction: 'in' as const, ...i } : { direction: 'out' as const, ...o };
    hubs.set(id, { id, kind: 'shared', ...h });
  }
  for (const h of hubs.values()) h.kind = h.direction === 'in' && forwards(h.id) && [...h.ports].some((k) => HTTP.has(Number(k.split('/')[1]))) ? 'proxy' : kindOf(h, edges);
  return { hubs, stations };
}

/** Name a hub's service from its ports and rhythm. */
function kindOf(h: Hub, edges: readonly AnalysisEdge[]): CoreServiceKind {
  const ports = [...h.ports].map((k) => k.split('/').map(Number) as [number, number]);
  const table = h.direction === 'in' ? SERVED_KIND : REACHING_KIND;
  for (const [kind, set] of table) if (ports.some(([, p]) => set.has(p))) return kind;
  if (h.direction === 'out' && ports.some(([proto]) => proto === 1 || proto === 58)) return 'monitoring';
  if (h.direction === 'in' && ports.some(([, p]) => HTTP.has(p))) {
    // a web service everyone reaches on a weekly or monthly rhythm is a patch or package repository
    const mine = edges.filter((e) => e.to === h.id && h.ports.has(portKey(e.protocol, e.port)));
    const periodic = mine.filter((e) => e.periodicity === 'weekly' || e.periodicity === 'monthly' || e.periodicity === 'once').length;
    if (mine.length && periodic / mine.length >= 0.5) return 'patching';
  }
  return 'shared';
}
