// A workload's role (tier) from the ports it serves and its position in the graph:
//
//   db / cache / queue   serves a database, cache or message-broker port
//   web                  serves HTTP(S) to people or the internet (networks, not workloads), or
//                        serves HTTP and only calls other HTTP services
//   api                  serves HTTP(S) or an application port to other workloads, calls data stores
//   worker               serves nothing, calls queues or databases
//   client               serves nothing, calls HTTP services
//   core / management / scanner   decided by behaviour (services.ts, edges.ts)
//
// Traffic of core services and management sessions is left out (every workload serves an SSH
// port and a monitoring agent; that says nothing about its tier). Hostname words count as
// weaker evidence; a role label always wins.
import type { AnalysisEdge, Role } from './types';

const PORTS: Record<'db' | 'cache' | 'queue', ReadonlySet<number>> = {
  db: new Set([5432, 5433, 6432, 3306, 1433, 1434, 1521, 27017, 27018, 9042, 5984, 7474, 7687, 8086, 9200, 26257, 50000, 3050, 8529, 28015]),
  cache: new Set([6379, 6380, 26379, 11211]),
  queue: new Set([5672, 5671, 9092, 9093, 4222, 1883, 8883, 61616, 61613, 2181, 6650]),
};
const HTTP = new Set([80, 443, 8080, 8000, 8081, 8443, 8888, 3000, 5000, 9000, 9090, 50051, 8008, 7001, 9443, 4443]);

export function portCategory(port: number): 'db' | 'cache' | 'queue' | 'http' | 'other' {
  if (PORTS.db.has(port)) return 'db';
  if (PORTS.cache.has(port)) return 'cache';
  if (PORTS.queue.has(port)) return 'queue';
  if (HTTP.has(port)) return 'http';
  return 'other';
}

export interface RoleGuess {
  role: Role;
  confidence: number;
}

/**
 * Infer roles for regular workloads. `edges` are the structural edges (no core, management or
 * scanner traffic); `isWorkload` tells workload endpoints from networks and addresses.
 */
export function inferRoles(ids: readonly string[], edges: readonly AnalysisEdge[], isWorkload: (id: string) => boolean, hints: Map<string, Role | null>): Map<string, RoleGuess> {
  const served = new Map<string, AnalysisEdge[]>();
  const called = new Map<string, AnalysisEdge[]>();
  for (const e of edges) {
    let s = served.get(e.to);
    if (!s) served.set(e.to, (s = []));
    s.push(e);
    let c = called.get(e.from);
    if (!c) called.set(e.from, (c = []));
    c.push(e);
  }
  const out = new Map<string, RoleGuess>();
  for (const id of ids) {
    const score: Partial<Record<Role, number>> = {};
    const add = (r: Role, x: number) => (score[r] = (score[r] ?? 0) + x);
    const serves = served.get(id) ?? [];
    const calls = called.get(id) ?? [];
    const callsData = calls.some((e) => isWorkload(e.to) && ['db', 'cache', 'queue'].includes(portCategory(e.port)));
    const callsHttp = calls.some((e) => portCategory(e.port) === 'http');
    const servedCats = new Set(serves.map((e) => portCategory(e.port)));
    for (const cat of ['db', 'cache', 'queue'] as const) if (servedCats.has(cat)) add(cat, 3);
    const app = serves.filter((e) => portCategory(e.port) === 'http' || portCategory(e.port) === 'other');
    if (app.length) {
      const fromOutside = app.some((e) => !isWorkload(e.from));
      const fromWorkloads = app.some((e) => isWorkload(e.from));
      if (fromOutside) add('web', 3);
      if (fromWorkloads) add('api', 2);
      if (callsData) add('api', 1);
      else if (callsHttp && !fromOutside) add('web', 1);
    } else if (!servedCats.size) {
      if (callsData) add('worker', 2);
      else if (calls.length) add('client', 1);
    }
    const hint = hints.get(id);
    if (hint) add(hint, 1.5);
    const ranked = (Object.entries(score) as Array<[Role, number]>).sort((a, b) => b[1] - a[1]);
    if (!ranked.length) {
      out.set(id, { role: 'unknown', confidence: 0 });
      continue;
    }
    const total = ranked.reduce((s, [, x]) => s + x, 0);
    out.set(id, { role: ranked[0]![0], confidence: Math.round(Math.min(0.99, ranked[0]![1] / (total + 1)) * 100) / 100 });
  }
  return out;
}

/**
 * Members of one application given the same role but serving different things are different
 * tiers: a file server and the application servers both read as `api`, WSUS and an app server
 * both serve HTTP-like ports. Within an application and role, members whose served ports overlap
 * are one tier; the largest keeps the role, the others become `<role>-<port>` (their lowest
 * port). Members that serve nothing stay in the role.
 */
export function refineRoles(ids: readonly string[], edges: readonly AnalysisEdge[], guesses: Map<string, RoleGuess>, appOf: (id: string) => string): Map<string, string> {
  const served = new Map<string, Set<number>>();
  for (const e of edges) {
    let s = served.get(e.to);
    if (!s) served.set(e.to, (s = new Set()));
    s.add(e.port);
  }
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const k = `${appOf(id)}\u0000${guesses.get(id)?.role ?? 'unknown'}`;
    groups.set(k, [...(groups.get(k) ?? []), id]);
  }
  const out = new Map<string, string>();
  for (const members of groups.values()) {
    const role = guesses.get(members[0]!)?.role ?? 'unknown';
    const serving = members.filter((id) => served.get(id)?.size);
    // tiers: members connected by a shared served port
    const parent = new Map(serving.map((id) => [id, id]));
    const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
    const byPort = new Map<number, string>();
    for (const id of serving) {
      for (const p of served.get(id)!) {
        const first = byPort.get(p);
        if (first) parent.set(find(id), find(first));
        else byPort.set(p, id);
      }
    }
    const tiers = new Map<string, string[]>();
    for (const id of serving) tiers.set(find(id), [...(tiers.get(find(id)) ?? []), id]);
    const ordered = [...tiers.values()].sort((a, b) => b.length - a.length || Math.min(...served.get(a[0]!)!) - Math.min(...served.get(b[0]!)!));
    for (const id of members) out.set(id, role);
    for (const tier of ordered.slice(1)) {
      const port = Math.min(...tier.flatMap((id) => [...served.get(id)!]));
      for (const id of tier) out.set(id, `${role}-${port}`);
    }
  }
  return out;
}
