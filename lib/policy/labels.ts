// The label view policy works on: every workload with its effective labels and addresses.
// Labels are the contract between a rule and the workloads it applies to, so proposals,
// simulation, blast radius and exports all read this one view from the database: facts first
// (inventory, user and confirmed labels), then unconfirmed suggestions from discovery for keys
// the facts lack. The same view built from an analysis result (policyViewFromAnalysis) serves
// tests and previews before suggestions are saved.
import type { Db } from '../db';
import type { AnalysisResult } from '../analysis/types';
import type { PodIdentity, PolicyWorkload } from './selectors';

export interface PolicyView {
  workloads: PolicyWorkload[];
  byId: Map<string, PolicyWorkload>;
  byName: Map<string, PolicyWorkload>;
}

export function makeView(workloads: PolicyWorkload[]): PolicyView {
  return { workloads, byId: new Map(workloads.map((w) => [w.id, w])), byName: new Map(workloads.map((w) => [w.name, w])) };
}

export interface ViewOptions {
  /** addresses held at this time (default now); ignored when `window` is given */
  at?: Date;
  /** addresses held at any time in [from, to) */
  window?: { from: Date; to: Date };
  /** include workloads without an address in the window (default false) */
  all?: boolean;
}

/** The label view from the database. */
export async function loadPolicyView(db: Db, opts: ViewOptions = {}): Promise<PolicyView> {
  const at = opts.at ?? new Date();
  const from = opts.window?.from ?? at;
  const to = opts.window?.to ?? new Date(at.getTime() + 1);
  const overlap = { validFrom: { lt: to }, OR: [{ validTo: null }, { validTo: { gt: from } }] };
  const rows = await db.workload.findMany({
    where: opts.all ? undefined : { addresses: { some: overlap } },
    select: { id: true, name: true, kind: true, attributes: true, labels: { select: { key: true, value: true, source: true, confirmed: true } }, addresses: { where: overlap, select: { ip: true } } },
    orderBy: { name: 'asc' },
  });
  return makeView(
    rows.map((r) => {
      const labels: Record<string, string> = {};
      const suggested: string[] = [];
      for (const l of r.labels) if (l.source !== 'inferred' || l.confirmed) labels[l.key] = l.value;
      for (const l of r.labels) {
        if (l.source === 'inferred' && !l.confirmed && labels[l.key] === undefined) {
          labels[l.key] = l.value;
          suggested.push(l.key);
        }
      }
      const kubernetes = podIdentity(r);
      return { id: r.id, name: r.name, labels, suggested: suggested.sort(), addresses: [...new Set(r.addresses.map((a) => a.ip))].sort(), ...(kubernetes ? { kubernetes } : {}) };
    }),
  );
}

/**
 * A pod's namespace and own labels, from Kubernetes inventory. Pods imported before the adapter
 * kept their labels apart (attributes.podLabels) fall back to their inventory labels, which may
 * hold the app/role Bulkhead derived.
 */
function podIdentity(r: { kind: string; attributes: unknown; labels: Array<{ key: string; value: string; source: string }> }): PodIdentity | undefined {
  if (r.kind !== 'pod' || !r.attributes || typeof r.attributes !== 'object') return undefined;
  const a = r.attributes as Record<string, unknown>;
  if (typeof a.namespace !== 'string' || !a.namespace) return undefined;
  const own = a.podLabels && typeof a.podLabels === 'object' && !Array.isArray(a.podLabels) ? (a.podLabels as Record<string, unknown>) : null;
  const labels: Record<string, string> = {};
  if (own) for (const [k, v] of Object.entries(own)) if (typeof v === 'string') labels[k] = v;
  if (!own) for (const l of r.labels) if (l.source === 'inventory') labels[l.key] = l.value;
  return { namespace: a.namespace, labels };
}

/**
 * The label view an analysis implies: facts as they are, plus the application name, role and
 * environment discovery inferred where no label says otherwise.
 */
export function policyViewFromAnalysis(result: AnalysisResult): PolicyView {
  const appName = new Map(result.applications.map((a) => [a.id, a.name]));
  return makeView(
    result.workloads.map((w) => {
      const labels = { ...w.labels };
      const suggested: string[] = [];
      const fill = (k: string, v: string | null | undefined) => {
        if (v && labels[k] === undefined) {
          labels[k] = v;
          suggested.push(k);
        }
      };
      fill('app', w.application ? appName.get(w.application) : null);
      fill('role', w.role === 'unknown' ? null : w.role);
      fill('env', w.environment);
      return { id: w.id, name: w.name, labels, suggested: suggested.sort(), addresses: w.addresses };
    }),
  );
}
