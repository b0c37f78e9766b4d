// The baseline: Bulkhead's neutral policy document (YAML or JSON), what every other exporter is
// generated from, what `bulkhead import baseline` reads back, and what a stored Baseline holds.
// docs/baseline.schema.json is generated from the schema here (baselineJsonSchema()); a test
// keeps the two equal.
import { isIP } from 'node:net';
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { z } from 'zod';
import { explainIssues, PolicyError, portSpecSchema, RULE_STATUSES, selectorSchema, type PortSpec, type Rule, type RuleStatus, type Selector } from '../policy/model';
import { ENFORCEMENT_STATES } from '../policy/enforcement-states';
import type { PolicyView } from '../policy/labels';
import { makeView } from '../policy/labels';
import type { PolicyWorkload } from '../policy/selectors';

export const BASELINE_API_VERSION = 'bulkhead/v1';

const isoTime = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 time, e.g. 2026-03-01T00:00:00Z' });
const address = z
  .string()
  .refine((s) => isIP(s) !== 0, 'an IPv4 or IPv6 address')
  .meta({ description: 'an IPv4 or IPv6 address' });

export const baselineRuleSchema = z
  .object({
    id: z.string().min(1).max(200).meta({ description: 'stable rule id (Bulkhead rule id, or any unique text in hand-written files)' }),
    action: z.literal('allow').meta({ description: 'rules only allow; everything not allowed is denied' }),
    from: selectorSchema.meta({ description: 'client side: {labels: {k: v}} (all must match; {} = every workload), {cidr, except?}, or {any: true}' }),
    to: selectorSchema.meta({ description: 'server side, same forms as from' }),
    ports: z.array(portSpecSchema).min(1).meta({ description: 'protocol tcp|udp|icmp|any, with port (and endPort for a range) for tcp and udp; no port = every port' }),
    intent: z.string().min(1).max(1000).meta({ description: 'the business reason, one sentence' }),
    owner: z.string().max(200).optional().meta({ description: "the owning application (its owners review the rule)" }),
    expires: isoTime.optional().meta({ description: 'a temporary exception stops allowing at this time' }),
    status: z.enum(RULE_STATUSES),
  })
  .strict();

export const baselineWorkloadSchema = z
  .object({
    name: z.string().min(1).max(300).meta({ description: 'inventory name (hostname)' }),
    addresses: z.array(address),
    labels: z.record(z.string().min(1).max(63), z.string().min(1).max(253)).meta({ description: 'effective labels: role, app, env, loc, custom keys' }),
    kubernetes: z
      .object({
        namespace: z.string().min(1).max(253),
        labels: z.record(z.string().min(1).max(317), z.string().max(63)).meta({ description: "the pod's own labels as the cluster has them" }),
      })
      .strict()
      .optional()
      .meta({ description: 'a pod from Kubernetes inventory: Kubernetes and Cilium exports select it by its namespace and these labels; workloads without it are addresses there' }),
  })
  .strict();

export const baselineApplicationSchema = z
  .object({
    name: z.string().min(1).max(253).meta({ description: 'the `app` label value' }),
    inferred: z.boolean().meta({ description: 'true: discovery inferred this application and nobody confirmed it; no workload carries it as a label, so exports express it by its members\' addresses' }),
  })
  .strict();

export const baselineEnforcementSchema = z
  .object({
    application: z.string().min(1).max(200).meta({ description: 'the application (the `app` label value)' }),
    environment: z.string().max(253).meta({ description: 'the `env` label value; "" for its workloads without one' }),
    state: z.enum(ENFORCEMENT_STATES).meta({ description: 'visibility: nothing blocked; test: what would be blocked is logged and let through; enforced: what the rules do not allow is dropped' }),
  })
  .strict();

export const baselineSchema = z
  .object({
    apiVersion: z.literal(BASELINE_API_VERSION),
    kind: z.literal('Baseline'),
    metadata: z
      .object({
        name: z.string().min(1).max(200),
        generatedAt: isoTime,
        window: z.object({ from: isoTime, to: isoTime }).strict().optional().meta({ description: 'the discovery window the rules were proposed from' }),
        version: z.number().int().min(1).optional().meta({ description: 'version of a stored baseline (bulkhead baselines)' }),
        policy: z.enum(['approved', 'proposed', 'all']).optional().meta({ description: 'which rules were exported' }),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    workloads: z.array(baselineWorkloadSchema).meta({ description: 'the workloads label selectors resolve to, with their addresses at export time' }),
    rules: z.array(baselineRuleSchema),
    applications: z
      .array(baselineApplicationSchema)
      .optional()
      .meta({ description: 'the applications the workloads\' `app` labels name, and whether each is an unconfirmed inference' }),
    enforcement: z
      .array(baselineEnforcementSchema)
      .optional()
      .meta({ description: 'how far exports enforce the rules per application and environment; an application and environment not listed (or no list) is in visibility' }),
  })
  .strict()
  .meta({ title: 'Bulkhead baseline', description: 'A label-based allow-list policy: rules between selectors on ports, and the workloads the labels resolve to.' });

export type BaselineDoc = z.infer<typeof baselineSchema>;
export type BaselineRule = z.infer<typeof baselineRuleSchema>;
export type BaselineWorkload = z.infer<typeof baselineWorkloadSchema>;
export type BaselineEnforcement = z.infer<typeof baselineEnforcementSchema>;
export type BaselineApplication = z.infer<typeof baselineApplicationSchema>;

/** The JSON Schema of the baseline format (docs/baseline.schema.json). */
export function baselineJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(baselineSchema, { target: 'draft-2020-12' }) as Record<string, unknown>),
    $id: 'https://bulkhead.dev/schemas/baseline-v1.json',
  };
}

export interface BuildBaseline {
  name: string;
  rules: ReadonlyArray<Pick<Rule, 'id' | 'from' | 'to' | 'ports' | 'intent' | 'owner' | 'expires' | 'status'>>;
  view: PolicyView;
  window?: { from: Date; to: Date } | null;
  generatedAt?: Date;
  version?: number;
  policy?: 'approved' | 'proposed' | 'all';
  note?: string | null;
  enforcement?: readonly BaselineEnforcement[];
}

export function buildBaseline(b: BuildBaseline): BaselineDoc {
  return {
    apiVersion: BASELINE_API_VERSION,
    kind: 'Baseline',
    metadata: {
      name: b.name,
      generatedAt: (b.generatedAt ?? new Date()).toISOString(),
      ...(b.window ? { window: { from: b.window.from.toISOString(), to: b.window.to.toISOString() } } : {}),
      ...(b.version ? { version: b.version } : {}),
      ...(b.policy ? { policy: b.policy } : {}),
      ...(b.note ? { note: b.note } : {}),
    },
    workloads: b.view.workloads
      .filter((w) => w.addresses.length)
      .map((w) => ({ name: w.name, addresses: [...w.addresses], labels: sortKeys(w.labels), ...(w.kubernetes ? { kubernetes: { namespace: w.kubernetes.namespace, labels: sortKeys(w.kubernetes.labels) } } : {}) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    rules: b.rules.map((r) => ({
      id: r.id,
      action: 'allow' as const,
      from: r.from,
      to: r.to,
      ports: r.ports,
      intent: r.intent,
      ...(r.owner ? { owner: r.owner } : {}),
      ...(r.expires ? { expires: r.expires.toISOString() } : {}),
      status: r.status,
    })),
    ...applicationsOf(b.view),
    ...(b.enforcement ? { enforcement: [...b.enforcement].sort((x, y) => x.application.localeCompare(y.application) || x.environment.localeCompare(y.environment)) } : {}),
  };
}

/**
 * The applications the view's workloads name: inferred when a member's app label is an
 * unconfirmed suggestion (one such member is enough: the name is not a label the estate carries).
 */
function applicationsOf(view: PolicyView): { applications?: BaselineApplication[] } {
  const inferred = new Map<string, boolean>();
  for (const w of view.workloads) {
    const app = w.labels.app;
    if (!app || !w.addresses.length) continue;
    inferred.set(app, (inferred.get(app) ?? false) || w.suggested.includes('app'));
  }
  if (!inferred.size) return {};
  return { applications: [...inferred].sort(([a], [b]) => a.localeCompare(b)).map(([name, inf]) => ({ name, inferred: inf })) };
}

const sortKeys = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

export type BaselineFormat = 'yaml' | 'json';

export function baselineFormatOf(path: string): BaselineFormat {
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.json$/i.test(path)) return 'json';
  throw new PolicyError(`${path}: a baseline file ends in .yaml, .yml or .json (the extension decides the format)`);
}

export function serializeBaseline(doc: BaselineDoc, format: BaselineFormat): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  return `# Bulkhead baseline (${BASELINE_API_VERSION}); schema: docs/baseline.schema.json\n${stringify(doc, { lineWidth: 0 })}`;
}

/**
 * Read a baseline (YAML or JSON: JSON is read by the YAML parser, which keeps positions), and
 * validate it. Every problem is reported with file:line and the path of the field.
 */
export function parseBaseline(text: string, file = 'baseline'): BaselineDoc {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const p = lines.linePos(offset);
    return `${file}:${p.line}`;
  };
  if (doc.errors.length) {
    throw new PolicyError(doc.errors.slice(0, 10).map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`).join('\n'));
  }
  const value = doc.toJS({ maxAliasCount: 100 });
  const r = baselineSchema.safeParse(value);
  const problems: string[] = [];
  if (!r.success) {
    for (const issue of explainIssues(r.error.issues).slice(0, 20)) {
      const path = issue.path.map(String);
      problems.push(`${at(nodeAt(doc.contents as Node | null, issue.path)?.range?.[0])}: ${path.join('.') || '(document)'}: ${issue.message}`);
    }
    throw new PolicyError(`${file} is not a valid baseline:\n${problems.join('\n')}`);
  }
  const ids = new Map<string, number>();
  r.data.rules.forEach((x, i) => {
    if (ids.has(x.id)) problems.push(`${at(nodeAt(doc.contents as Node | null, ['rules', i, 'id'])?.range?.[0])}: rules.${i}.id: "${x.id}" is also the id of rules.${ids.get(x.id)}`);
    ids.set(x.id, i);
  });
  const names = new Map<string, number>();
  r.data.workloads.forEach((w, i) => {
    if (names.has(w.name)) problems.push(`${at(nodeAt(doc.contents as Node | null, ['workloads', i, 'name'])?.range?.[0])}: workloads.${i}.name: "${w.name}" appears twice`);
    names.set(w.name, i);
  });
  if (problems.length) throw new PolicyError(`${file} is not a valid baseline:\n${problems.join('\n')}`);
  return r.data;
}

/** The YAML node at a path (the deepest that exists), for line numbers. */
function nodeAt(node: Node | null, path: readonly PropertyKey[]): Node | null {
  let cur: Node | null = node;
  for (const key of path) {
    if (!cur) return null;
    let next: Node | null = null;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      next = (pair?.value as Node | null) ?? (pair?.key as Node | null) ?? null;
    } else if (isSeq(cur) && typeof key === 'number') next = (cur.items[key] as Node | null) ?? null;
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

/** The label view a baseline carries (ids are the names; `known` maps names to database ids). */
export function baselineView(doc: BaselineDoc, known?: PolicyView): PolicyView {
  return makeView(
    doc.workloads.map(
      (w): PolicyWorkload => ({
        id: known?.byName.get(w.name)?.id ?? `name:${w.name}`,
        name: w.name,
        labels: { ...w.labels },
        // the file says which applications are inferred; their members' app label is a suggestion
        suggested: w.labels.app && inferredApplications(doc).has(w.labels.app) ? ['app'] : [],
        addresses: [...w.addresses],
        ...(w.kubernetes ? { kubernetes: { namespace: w.kubernetes.namespace, labels: { ...w.kubernetes.labels } } } : {}),
      }),
    ),
  );
}

/** The applications a baseline marks inferred (discovery's suggestion, not a label anyone carries). */
export function inferredApplications(doc: BaselineDoc): Set<string> {
  return new Set((doc.applications ?? []).filter((a) => a.inferred).map((a) => a.name));
}

/**
 * The view simulation uses with a baseline file: the file's labels for the workloads it names
 * (so the file means what it meant when it was written), the database's for the others.
 */
export function overlayView(doc: BaselineDoc, db: PolicyView): PolicyView {
  const fromFile = new Map(doc.workloads.map((w) => [w.name, w]));
  return makeView(db.workloads.map((w) => (fromFile.has(w.name) ? { ...w, labels: { ...fromFile.get(w.name)!.labels }, suggested: [] } : w)));
}

/** The rules of a baseline as the model (expiry as a Date). */
export function baselineRules(doc: BaselineDoc): Array<{ id: string; from: Selector; to: Selector; ports: PortSpec[]; intent: string; owner: string | null; expires: Date | null; status: RuleStatus }> {
  return doc.rules.map((r) => ({ id: r.id, from: r.from, to: r.to, ports: r.ports, intent: r.intent, owner: r.owner ?? null, expires: r.expires ? new Date(r.expires) : null, status: r.status }));
}

/** Rules of a baseline that allow traffic now: approved (or proposed, when asked) and not expired. */
export function activeBaselineRules(doc: BaselineDoc, opts: { includeProposed?: boolean; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  return baselineRules(doc).filter((r) => (r.status === 'approved' || (opts.includeProposed && r.status === 'proposed')) && (!r.expires || r.expires > now));
}
