// Applications and workloads as their pages and the API read them (GET /api/v1/applications,
// /api/v1/workloads and their details): what discovery found in a window (members, roles,
// confidence, dependencies) joined with what the database holds (labels with their source,
// address history, owners, confirmation, rules), in the JSON shapes below.
import { reviewUnits } from './review';
import { unitName } from '../policy/review';
import { estateCounts, type EstateCounts } from '../analysis/counts';
import type { AnalysisApplication, AnalysisEdge, AnalysisResult, Periodicity } from '../analysis/types';
import type { AppRef } from '../applications/edit';
import type { Db } from '../db';
import { portLabel } from '../flow/ports';

export interface AppRow {
  /** discovery id: name@env (or the name when the application has no environment) */
  id: string;
  name: string;
  environment: string | null;
  kind: 'application' | 'core-service' | 'management' | 'scanner';
  members: number;
  roles: Record<string, number>;
  /** label: every member carries the app label; inferred: discovery grouped them */
  source: 'label' | 'inferred';
  confidence: number;
  /** why discovery grouped and named it so: structure, labels, hostnames, and conflicts between them */
  evidence: string[];
  /** the Application row (owners, confirmation), when there is one */
  record: { id: string; confirmed: boolean; description: string | null } | null;
  owners: Array<{ id: string; name: string; email: string }>;
  /** rules by status over the application's record (every environment) */
  rules: Record<string, number>;
  /**
   * its rules as its review by application and environment counts them (both directions, this
   * environment: ./review.ts), which the pages' links, the next step and the Rules page agree on;
   * null when no workload of it carries its labels now
   */
  review: { toReview: number; approved: number } | null;
  /** dependencies to and from other applications or networks */
  dependsOn: number;
  usedBy: number;
}

export interface ApplicationsList {
  window: { from: string; to: string };
  /** the window's headline counts, as the overview, the map and `bulkhead analyze` show them */
  counts: EstateCounts;
  applications: AppRow[];
}

export interface MemberRow {
  id: string;
  name: string;
  kind: string;
  addresses: string[];
  role: string;
  roleSource: 'label' | 'inferred';
  roleConfidence: number;
  confidence: number;
  environment: string | null;
  labels: Array<{ key: string; value: string; source: string; confirmed: boolean }>;
  serves: string[];
  degree: number;
}

export interface NeighbourRow {
  /** application id, workload id or endpoint id */
  id: string;
  name: string;
  kind: 'application' | 'workload' | 'network';
  ports: string[];
  flows: number;
  bytes: number;
  lastSeen: string;
  periodicity: Periodicity;
}

export interface ApplicationDetail {
  window: { from: string; to: string };
  application: AppRow;
  members: MemberRow[];
  dependsOn: NeighbourRow[];
  usedBy: NeighbourRow[];
  /** dependencies between its own workloads */
  internal: number;
  /** other applications (for merge targets) */
  others: Array<{ id: string; name: string; environment: string | null }>;
}

export interface WorkloadRow {
  id: string;
  name: string;
  kind: string;
  source: string;
  addresses: string[];
  application: string | null;
  environment: string | null;
  role: string | null;
  roleSource: 'label' | 'inferred' | null;
  confidence: number | null;
  labels: Array<{ key: string; value: string; source: string; confirmed: boolean }>;
  degree: number;
}

export interface WorkloadsList {
  window: { from: string; to: string };
  total: number;
  workloads: WorkloadRow[];
}

export interface WorkloadDetail {
  window: { from: string; to: string };
  workload: WorkloadRow & { externalId: string | null; attributes: unknown; createdAt: string; updatedAt: string; serves: string[]; coreService: string | null; management: boolean; scanner: boolean };
  /** every address binding, newest first */
  history: Array<{ ip: string; validFrom: string; validTo: string | null; source: string }>;
  dependsOn: NeighbourRow[];
  usedBy: NeighbourRow[];
}

const iso = (d: Date) => d.toISOString();
const win = (r: AnalysisResult) => ({ from: iso(r.window.from), to: iso(r.window.to) });

type Records = Map<string, { id: string; confirmed: boolean; description: string | null; owners: AppRow['owners']; rules: Record<string, number> }>;

async function appRecords(db: Db): Promise<Records> {
  const [apps, rules] = await Promise.all([
    db.application.findMany({ include: { owners: { include: { user: { select: { id: true, name: true, email: true } } } } } }),
    db.rule.groupBy({ by: ['applicationId', 'status'], _count: { _all: true } }),
  ]);
  const byId = new Map<string, Record<string, number>>();
  for (const r of rules) {
    if (!r.applicationId) continue;
    const m = byId.get(r.applicationId) ?? {};
    m[r.status] = r._count._all;
    byId.set(r.applicationId, m);
  }
  return new Map(
    apps.map((a) => [a.name, { id: a.id, confirmed: a.confirmed, description: a.description, owners: a.owners.map((o) => o.user), rules: byId.get(a.id) ?? {} }]),
  );
}

type Units = Awaited<ReturnType<typeof reviewUnits>>;

function appRow(a: AnalysisApplication, records: Records, deps: Map<string, { out: Set<string>; in: Set<string> }>, units: Units): AppRow {
  const rec = records.get(a.name);
  const unit = units.find((u) => u.unit === unitName(a.name, a.environment ?? ''));
  return {
    id: a.id,
    name: a.name,
    environment: a.environment,
    kind: a.kind,
    members: a.members.length,
    roles: a.roles,
    source: a.source,
    confidence: a.confidence,
    evidence: a.evidence,
    record: rec ? { id: rec.id, confirmed: rec.confirmed, description: rec.description } : null,
    owners: rec?.owners ?? [],
    rules: rec?.rules ?? {},
    review: unit ? { toReview: unit.toReview, approved: unit.approved } : null,
    dependsOn: deps.get(a.id)?.out.size ?? 0,
    usedBy: deps.get(a.id)?.in.size ?? 0,
  };
}

/** Application-level neighbours of every application (another application, or a network). */
function appDependencies(r: AnalysisResult) {
  const appOf = new Map(r.workloads.map((w) => [w.id, w.application]));
  const side = (id: string) => (appOf.has(id) ? appOf.get(id) ?? null : id);
  const deps = new Map<string, { out: Set<string>; in: Set<string> }>();
  const get = (id: string) => deps.get(id) ?? deps.set(id, { out: new Set(), in: new Set() }).get(id)!;
  for (const e of r.edges) {
    const a = side(e.from);
    const b = side(e.to);
    if (!a || !b || a === b) continue;
    get(a).out.add(b);
    get(b).in.add(a);
  }
  return deps;
}

export async function listApplications(db: Db, r: AnalysisResult): Promise<ApplicationsList> {
  const [records, units] = await Promise.all([appRecords(db), reviewUnits(db)]);
  const deps = appDependencies(r);
  return { window: win(r), counts: estateCounts(r), applications: r.applications.map((a) => appRow(a, records, deps, units)) };
}

export function appRef(r: AnalysisResult, id: string): AppRef | null {
  const a = r.applications.find((x) => x.id === id) ?? r.applications.find((x) => x.name === id && !r.applications.some((y) => y !== x && y.name === id));
  return a ? { id: a.id, name: a.name, environment: a.environment, members: a.members } : null;
}

async function labelsOf(db: Db, ids: string[]) {
  const rows = await db.label.findMany({ where: { workloadId: { in: ids } }, orderBy: { key: 'asc' } });
  const m = new Map<string, MemberRow['labels']>();
  for (const l of rows) (m.get(l.workloadId) ?? m.set(l.workloadId, []).get(l.workloadId)!).push({ key: l.key, value: l.value, source: l.source, confirmed: l.confirmed });
  return m;
}

/** Neighbours of a set of workloads, folded by application (or per workload), largest first. */
function neighbours(r: AnalysisResult, inside: Set<string>, by: 'application' | 'workload') {
  const wl = new Map(r.workloads.map((w) => [w.id, w]));
  const apps = new Map(r.applications.map((a) => [a.id, a]));
  const eps = new Map(r.endpoints.map((e) => [e.id, e]));
  const fold = (edges: AnalysisEdge[], other: (e: AnalysisEdge) => string) => {
    const m = new Map<string, NeighbourRow & { portSet: Set<string> }>();
    for (const e of edges) {
      const o = other(e);
      const w = wl.get(o);
      const key = w ? (by === 'application' && w.application ? w.application : o) : o;
      const kind: NeighbourRow['kind'] = w ? (by === 'application' && w.application ? 'application' : 'workload') : 'network';
      const name = kind === 'application' ? (apps.get(key)?.id ?? key) : kind === 'workload' ? w!.name : (eps.get(o)?.name ?? o);
      let n = m.get(key);
      if (!n) {
        n = { id: key, name, kind, ports: [], portSet: new Set(), flows: 0, bytes: 0, lastSeen: iso(e.lastSeen), periodicity: e.periodicity };
        m.set(key, n);
      }
      n.portSet.add(portLabel(e.protocol, e.port));
      n.flows += e.flows;
      n.bytes += e.bytes;
      if (iso(e.lastSeen) > n.lastSeen) n.lastSeen = iso(e.lastSeen);
    }
    return [...m.values()].map(({ portSet, ...n }) => ({ ...n, ports: [...portSet].sort() })).sort((a, b) => b.flows - a.flows);
  };
  const out = r.edges.filter((e) => inside.has(e.from) && !inside.has(e.to));
  const inc = r.edges.filter((e) => inside.has(e.to) && !inside.has(e.from));
  return { dependsOn: fold(out, (e) => e.to), usedBy: fold(inc, (e) => e.from), internal: r.edges.filter((e) => inside.has(e.from) && inside.has(e.to)).length };
}

export async function applicationDetail(db: Db, r: AnalysisResult, id: string): Promise<ApplicationDetail | null> {
  const a = r.applications.find((x) => x.id === id);
  if (!a) return null;
  const [records, units] = await Promise.all([appRecords(db), reviewUnits(db)]);
  const deps = appDependencies(r);
  const members = new Set(a.members);
  const labels = await labelsOf(db, a.members);
  const n = neighbours(r, members, 'application');
  return {
    window: win(r),
    application: appRow(a, records, deps, units),
    members: r.workloads
      .filter((w) => members.has(w.id))
      .map((w) => ({
        id: w.id,
        name: w.name,
        kind: w.kind,
        addresses: w.addresses,
        role: w.role,
        roleSource: w.roleSource,
        roleConfidence: w.roleConfidence,
        confidence: w.confidence,
        environment: w.environment,
        labels: labels.get(w.id) ?? [],
        serves: w.serves,
        degree: w.degree,
      }))
      .sort((x, y) => x.role.localeCompare(y.role) || x.name.localeCompare(y.name)),
    ...n,
    others: r.applications.filter((x) => x.id !== a.id && x.kind === 'application').map((x) => ({ id: x.id, name: x.name, environment: x.environment })),
  };
}

export interface WorkloadQuery {
  q?: string;
  app?: string;
  role?: string;
  env?: string;
  /** only workloads with labels that are unconfirmed suggestions */
  unconfirmed?: boolean;
  offset: number;
  limit: number;
}

/** Every workload in the inventory, with what discovery says of it in the window. */
export async function listWorkloads(db: Db, r: AnalysisResult, q: WorkloadQuery): Promise<WorkloadsList> {
  const seen = new Map(r.workloads.map((w) => [w.id, w]));
  const rows = await db.workload.findMany({
    select: { id: true, name: true, kind: true, source: true, labels: { select: { key: true, value: true, source: true, confirmed: true }, orderBy: { key: 'asc' } }, addresses: { where: { validTo: null }, select: { ip: true } } },
    orderBy: { name: 'asc' },
  });
  const needle = q.q?.trim().toLowerCase();
  const all: WorkloadRow[] = rows.map((w) => {
    const a = seen.get(w.id);
    return {
      id: w.id,
      name: w.name,
      kind: w.kind,
      source: w.source,
      addresses: a?.addresses.length ? a.addresses : w.addresses.map((x) => x.ip),
      application: a?.application ?? null,
      environment: a?.environment ?? null,
      role: a?.role ?? null,
      roleSource: a?.roleSource ?? null,
      confidence: a?.confidence ?? null,
      labels: w.labels,
      degree: a?.degree ?? 0,
    };
  });
  const filtered = all.filter(
    (w) =>
      (!needle || w.name.toLowerCase().includes(needle) || w.addresses.some((x) => x.startsWith(needle)) || w.labels.some((l) => `${l.key}=${l.value}`.toLowerCase().includes(needle))) &&
      (!q.app || w.application === q.app) &&
      (!q.role || w.role === q.role) &&
      (!q.env || w.environment === q.env) &&
      (!q.unconfirmed || w.labels.some((l) => l.source === 'inferred' && !l.confirmed)),
  );
  return { window: win(r), total: filtered.length, workloads: filtered.slice(q.offset, q.offset + q.limit) };
}

export async function workloadDetail(db: Db, r: AnalysisResult, id: string): Promise<WorkloadDetail | null> {
  const w = await db.workload.findFirst({
    where: { OR: [{ id }, { name: id }] },
    include: { labels: { orderBy: { key: 'asc' } }, addresses: { orderBy: [{ validFrom: 'desc' }] } },
  });
  if (!w) return null;
  const a = r.workloads.find((x) => x.id === w.id);
  const n = neighbours(r, new Set([w.id]), 'workload');
  return {
    window: win(r),
    workload: {
      id: w.id,
      name: w.name,
      kind: w.kind,
      source: w.source,
      externalId: w.externalId,
      attributes: w.attributes,
      createdAt: iso(w.createdAt),
      updatedAt: iso(w.updatedAt),
      addresses: a?.addresses ?? w.addresses.filter((b) => b.validTo === null).map((b) => b.ip),
      application: a?.application ?? null,
      environment: a?.environment ?? null,
      role: a?.role ?? null,
      roleSource: a?.roleSource ?? null,
      confidence: a?.confidence ?? null,
      labels: w.labels.map((l) => ({ key: l.key, value: l.value, source: l.source, confirmed: l.confirmed })),
      degree: a?.degree ?? 0,
      serves: a?.serves ?? [],
      coreService: a?.coreService ?? null,
      management: a?.management ?? false,
      scanner: a?.scanner ?? false,
    },
    history: w.addresses.map((b) => ({ ip: b.ip, validFrom: iso(b.validFrom), validTo: b.validTo ? iso(b.validTo) : null, source: b.source })),
    dependsOn: n.dependsOn,
    usedBy: n.usedBy,
  };
}

/** The name of a workload given by id or name (the workload page's title), or null. */
export async function workloadName(db: Db, idOrName: string): Promise<string | null> {
  const w = await db.workload.findFirst({ where: { OR: [{ id: idOrName }, { name: idOrName }] }, select: { name: true } });
  return w?.name ?? null;
}
