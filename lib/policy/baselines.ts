// Baselines: immutable, versioned snapshots of approved rules (and the workloads their labels
// resolved to), stored as the baseline document itself. A name has versions 1, 2, 3...; nothing
// ever updates a stored version (the code only inserts), and any two versions can be diffed.
import { audit } from '../audit';
import type { Db } from '../db';
import { baselineSchema, buildBaseline, type BaselineDoc, type BaselineRule } from '../export/baseline';
import { enforcementStates } from './enforcement';
import { describeRule, NotFoundError, PolicyError, selectorKey, type Rule } from './model';
import type { PolicyView } from './labels';
import { normalizePorts } from './ports';
import { stableJson, type Who } from './workflow';

export interface BaselineInfo {
  id: string;
  name: string;
  version: number;
  createdAt: Date;
  createdBy: string;
  note: string | null;
  ruleCount: number;
  window: { from: string; to: string } | null;
}

type Row = Awaited<ReturnType<Db['baseline']['findFirstOrThrow']>>;
const info = (r: Row): BaselineInfo => ({
  id: r.id,
  name: r.name,
  version: r.version,
  createdAt: r.createdAt,
  createdBy: r.createdByName,
  note: r.note,
  ruleCount: r.ruleCount,
  window: (r.window as { from: string; to: string } | null) ?? null,
});

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The span of the discovery windows behind the rules (from their evidence). */
function windowOf(rules: readonly Rule[]): { from: Date; to: Date } | null {
  let from = Number.POSITIVE_INFINITY;
  let to = 0;
  for (const r of rules) {
    const w = r.evidence?.window;
    if (!w) continue;
    from = Math.min(from, Date.parse(w.from));
    to = Math.max(to, Date.parse(w.to));
  }
  return Number.isFinite(from) && to ? { from: new Date(from), to: new Date(to) } : null;
}

/** Snapshot the given (approved) rules as the next version of `name`. */
export async function createBaseline(db: Db, opts: { name: string; note?: string | null; rules: readonly Rule[]; view: PolicyView }, who: Who): Promise<BaselineInfo & { doc: BaselineDoc }> {
  if (!NAME.test(opts.name)) throw new PolicyError(`baseline name "${opts.name}": letters, digits, ".", "_", "-" (at most 100, starting with a letter or digit)`);
  const window = windowOf(opts.rules);
  // a snapshot keeps the states of its time, so exporting it again enforces what it enforced then
  const enforcement = await enforcementStates(db);
  for (let attempt = 0; ; attempt++) {
    const last = await db.baseline.findFirst({ where: { name: opts.name }, orderBy: { version: 'desc' } });
    const version = (last?.version ?? 0) + 1;
    const doc = buildBaseline({ name: opts.name, version, rules: opts.rules, view: opts.view, window, policy: 'approved', note: opts.note ?? null, enforcement });
    try {
      const row = await db.$transaction(async (tx) => {
        const created = await tx.baseline.create({
          data: {
            name: opts.name,
            version,
            createdById: 'userId' in who.actor ? (who.actor.userId ?? null) : null,
            createdByName: who.actor.name,
            note: opts.note ?? null,
            window: window ? ({ from: window.from.toISOString(), to: window.to.toISOString() } as never) : undefined,
            ruleCount: opts.rules.length,
            content: doc as never,
          },
        });
        await audit(tx, {
          actor: who.actor,
          via: who.via,
          ip: who.ip ?? null,
          userAgent: who.userAgent ?? null,
          action: 'baseline.create',
          target: { type: 'baseline', id: created.id },
          summary: `created baseline ${opts.name} v${version} with ${opts.rules.length} approved rules${opts.note ? ` (${opts.note})` : ''}`,
          after: { name: opts.name, version, rules: opts.rules.map((r) => r.id) },
        });
        return created;
      });
      return { ...info(row), doc };
    } catch (e) {
      // two people snapshotting the same name at once: the unique (name, version) decides, the later one retries
      if (attempt < 3 && /Unique constraint|UNIQUE/i.test((e as Error).message)) continue;
      throw e;
    }
  }
}

export async function listBaselines(db: Db, name?: string): Promise<BaselineInfo[]> {
  const rows = await db.baseline.findMany({ where: name ? { name } : undefined, orderBy: [{ name: 'asc' }, { version: 'desc' }] });
  return rows.map(info);
}

/** A stored baseline by "name" (latest version), "name@version" (or name:version), or id. */
export async function getBaseline(db: Db, ref: string): Promise<BaselineInfo & { doc: BaselineDoc }> {
  const m = /^(.+?)[@:]v?(\d+)$/.exec(ref.trim());
  const row = m
    ? await db.baseline.findUnique({ where: { name_version: { name: m[1]!, version: Number(m[2]) } } })
    : ((await db.baseline.findFirst({ where: { name: ref.trim() }, orderBy: { version: 'desc' } })) ?? (await db.baseline.findUnique({ where: { id: ref.trim() } })));
  if (!row) throw new NotFoundError(`no baseline ${ref} (bulkhead baselines list shows them)`);
  const doc = baselineSchema.safeParse(row.content);
  if (!doc.success) throw new Error(`stored baseline ${row.name} v${row.version} does not parse: ${doc.error.issues[0]?.message}`);
  return { ...info(row), doc: doc.data };
}

export interface RuleChange {
  id: string;
  before: BaselineRule;
  after: BaselineRule;
  /** which fields differ */
  fields: string[];
}

export interface BaselineDiff {
  from: { name: string; version?: number };
  to: { name: string; version?: number };
  added: BaselineRule[];
  removed: BaselineRule[];
  changed: RuleChange[];
  unchanged: number;
  workloads: { added: string[]; removed: string[]; relabelled: Array<{ name: string; before: Record<string, string>; after: Record<string, string> }> };
}

const meaning = (r: BaselineRule) => `${selectorKey(r.from)}|${selectorKey(r.to)}|${JSON.stringify(normalizePorts(r.ports))}`;

/** What changed from one baseline to another: rules by id (then by meaning), and workloads by name. */
export function diffBaselines(a: BaselineDoc, b: BaselineDoc): BaselineDiff {
  const before = new Map(a.rules.map((r) => [r.id, r]));
  const after = new Map(b.rules.map((r) => [r.id, r]));
  const changed: RuleChange[] = [];
  let unchanged = 0;
  const addedList: BaselineRule[] = [];
  for (const r of b.rules) {
    const p = before.get(r.id);
    if (!p) {
      addedList.push(r);
      continue;
    }
    const fields = (['from', 'to', 'ports', 'intent', 'owner', 'expires', 'status'] as const).filter((f) => stableJson(f === 'ports' ? normalizePorts(p.ports) : (p[f] ?? null)) !== stableJson(f === 'ports' ? normalizePorts(r.ports) : (r[f] ?? null)));
    if (fields.length) changed.push({ id: r.id, before: p, after: r, fields });
    else unchanged++;
  }
  let removedList = a.rules.filter((r) => !after.has(r.id));
  // rules that only changed id (re-imported, re-created) but mean the same are not changes
  const removedByMeaning = new Map(removedList.map((r) => [meaning(r), r]));
  const added: BaselineRule[] = [];
  for (const r of addedList) {
    const twin = removedByMeaning.get(meaning(r));
    if (twin) {
      removedByMeaning.delete(meaning(r));
      unchanged++;
    } else added.push(r);
  }
  removedList = [...removedByMeaning.values()];
  const wa = new Map(a.workloads.map((w) => [w.name, w]));
  const wb = new Map(b.workloads.map((w) => [w.name, w]));
  const relabelled: BaselineDiff['workloads']['relabelled'] = [];
  for (const [n, w] of wb) {
    const p = wa.get(n);
    if (p && stableJson(p.labels) !== stableJson(w.labels)) relabelled.push({ name: n, before: p.labels, after: w.labels });
  }
  return {
    from: { name: a.metadata.name, version: a.metadata.version },
    to: { name: b.metadata.name, version: b.metadata.version },
    added,
    removed: removedList,
    changed,
    unchanged,
    workloads: { added: [...wb.keys()].filter((n) => !wa.has(n)).sort(), removed: [...wa.keys()].filter((n) => !wb.has(n)).sort(), relabelled },
  };
}

/** The diff as lines for people. */
export function formatDiff(d: BaselineDiff): string {
  const name = (x: { name: string; version?: number }) => `${x.name}${x.version ? ` v${x.version}` : ''}`;
  const lines = [`${name(d.from)} -> ${name(d.to)}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged rules`];
  for (const r of d.added) lines.push(`+ ${r.id}  ${describeRule(r)}  (${r.status})`);
  for (const r of d.removed) lines.push(`- ${r.id}  ${describeRule(r)}  (${r.status})`);
  for (const c of d.changed) lines.push(`~ ${c.id}  ${c.fields.join(', ')}: ${describeRule(c.before)} => ${describeRule(c.after)}`);
  const w = d.workloads;
  if (w.added.length || w.removed.length || w.relabelled.length) {
    lines.push(`workloads: ${w.added.length} added, ${w.removed.length} removed, ${w.relabelled.length} relabelled`);
    for (const x of w.relabelled.slice(0, 20)) lines.push(`  ${x.name}: ${JSON.stringify(x.before)} -> ${JSON.stringify(x.after)}`);
  }
  return lines.join('\n');
}
