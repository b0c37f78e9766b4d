// `bulkhead flows` and `bulkhead edge` on a generated estate: the CLI reads what the flows page and
// the map's line details read (lib/read/), so its numbers are the analysis's numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { analyze } from '../../lib/analysis/analyze';
import type { AnalysisEdge, AnalysisResult } from '../../lib/analysis/types';
import { loadDemo } from '../../lib/demo/load';
import { portLabel } from '../../lib/flow/ports';
import { readFlows } from '../../lib/read/flows';
import { reviewUnits } from '../../lib/read/review';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { bufferIO } from '../io';
import { runCli } from '../main';

const END = new Date('2026-03-30T00:00:00Z');
const FROM = '2026-03-26';
const TO = '2026-03-30';

let rt: Runtime;
let result: AnalysisResult;
let inner: AnalysisEdge;
const name = (id: string) => result.workloads.find((w) => w.id === id)!.name;

async function cli(...argv: string[]) {
  const io = bufferIO();
  const code = await runCli(argv, { io, cwd: rt.config.home, forwardedRuntime: async () => rt, env: { BULKHEAD_HOME: rt.config.home, BULKHEAD_LOG_LEVEL: 'silent' } });
  return { code, out: io.stdout, err: io.stderr };
}

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  await loadDemo({ db: rt.db.prisma, store: rt.store }, { workloads: 60, days: 4, seed: 7, end: END });
  result = await analyze(rt, { from: FROM, to: TO });
  // the busiest dependency between two workloads
  inner = result.edges.filter((e) => !e.flags.external && !e.flags.coreService && e.protocol === 6).sort((a, b) => b.flows - a.flows)[0]!;
}, 240_000);
afterAll(() => rt?.close());

describe('bulkhead flows', () => {
  it('finds the flows of a dependency by workload names, as the analysis counted them, and as the API reads them', async () => {
    const args = ['--from', FROM, '--to', TO, '--client', name(inner.from), '--server', `w:${inner.to}`, '--port', portLabel(inner.protocol, inner.port)];
    const r = await cli('flows', ...args, '--limit', '5', '--json');
    expect(r.code, r.err).toBe(0);
    const page = JSON.parse(r.out);
    expect(page.total).toBe(inner.flows);
    expect(page.rows).toHaveLength(5);
    for (const row of page.rows) {
      expect(row.clientWorkload).toBe(name(inner.from));
      expect(row.serverWorkload).toBe(name(inner.to));
      expect(row.serverPort).toBe(inner.port);
    }
    const api = await readFlows(rt, { window: { from: FROM, to: TO }, client: name(inner.from), server: `w:${inner.to}`, port: portLabel(inner.protocol, inner.port), limit: 5 });
    expect({ ...page, tookMs: 0 }).toEqual({ ...api, tookMs: 0 });
  });

  it('prints a table a page at a time, and the next page goes on where it stopped', async () => {
    const r = await cli('flows', '--from', FROM, '--to', TO, '--endpoint', name(inner.to), '--limit', '3');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^[\d,]+ flows from 2026-03-26 00:00 to 2026-03-30 00:00 UTC; the 3 newest:\n/);
    expect(r.out).toMatch(/START +CLIENT +SERVER +PORT +BYTES C>S +BYTES S>C +PACKETS +EXPORTER/);
    const rows = r.out.split('\n').filter((l) => /^2026-03-2\d /.test(l));
    expect(rows).toHaveLength(3);
    for (const l of rows) expect(l).toContain(`(${name(inner.to)})`);
    const before = /--before (\S+)/.exec(r.out)![1]!;
    const next = await cli('flows', '--from', FROM, '--to', TO, '--endpoint', name(inner.to), '--limit', '3', '--before', before, '--json');
    expect(next.code, next.err).toBe(0);
    const page = JSON.parse(next.out);
    expect(page.rows).toHaveLength(3);
    for (const row of page.rows) expect(row.start < before).toBe(true);
  });

  it('says which filter it cannot read', async () => {
    const w = await cli('flows', '--client', 'no-such-workload');
    expect(w.code).toBe(1);
    expect(w.err).toMatch(/no-such-workload: not a workload name, address, CIDR or app:<application>/);
    const p = await cli('flows', '--protocol', 'bogus');
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/protocol: "bogus" is not tcp, udp, icmp or a protocol number/);
    const port = await cli('flows', '--port', 'tcp/99999');
    expect(port.code).toBe(1);
    expect(port.err).toMatch(/port: "tcp\/99999" is not a port/);
  });
});

describe('bulkhead edge', () => {
  it('shows what is behind a line between two workloads: the analysis\'s flows, their series and the latest records', async () => {
    const port = portLabel(inner.protocol, inner.port);
    const j = await cli('edge', name(inner.from), name(inner.to), '--from', FROM, '--to', TO, '--ports', port, '--json');
    expect(j.code, j.err).toBe(0);
    const d = JSON.parse(j.out);
    expect(d.dependencies).toBe(1);
    expect(d.totalFlows).toBe(inner.flows);
    expect(d.bucket).toBe('day');
    expect(d.samples.length).toBeGreaterThan(0);
    for (const f of d.samples) expect(f.serverPort).toBe(inner.port);

    const t = await cli('edge', name(inner.from), name(inner.to), '--from', FROM, '--to', TO, '--ports', port);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toContain(`${name(inner.from)} -> ${name(inner.to)} on ${port}, 2026-03-26 00:00 to 2026-03-30 00:00 UTC`);
    expect(t.out).toContain(`1 dependency, ${inner.flows.toLocaleString('en-US')} flows`);
    expect(t.out).toMatch(/Flows per day \(\d with traffic\):\n +DAY +FLOWS +BYTES\n +2026-03-2\d/);
    expect(t.out).toMatch(/Latest flows \(\d+\):/);
    expect(t.out).toContain(`Next: bulkhead flows --client ${name(inner.from)} --server ${name(inner.to)} --port ${port} --from ${FROM} --to ${TO}`);
  });

  it('adds up the dependencies between two applications and refuses nodes the map does not have', async () => {
    const cross = result.edges.find((e) => e.flags.crossApplication && !e.flags.coreService && !e.flags.management && !e.flags.external)!;
    const appOf = (id: string) => result.workloads.find((w) => w.id === id)!.application!;
    const a = appOf(cross.from);
    const b = appOf(cross.to);
    const members = new Map(result.workloads.map((w) => [w.id, w.application]));
    const deps = result.edges.filter((e) => members.get(e.from) === a && members.get(e.to) === b && !e.flags.coreService && !e.flags.management);
    const r = await cli('edge', `app:${a}`, `app:${b}`, '--from', FROM, '--to', TO, '--exclude-core', '--exclude-management', '--json');
    expect(r.code, r.err).toBe(0);
    const d = JSON.parse(r.out);
    expect(d.dependencies).toBe(deps.length);
    expect(d.totalFlows).toBe(deps.reduce((s, e) => s + e.flows, 0));

    const missing = await cli('edge', 'no-such-node', `app:${b}`, '--from', FROM, '--to', TO);
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('client: nothing on the map of this window is called "no-such-node"');
    const usage = await cli('edge', 'only-one');
    expect(usage.code).not.toBe(0);
  });
});

describe('bulkhead applications and workloads', () => {
  it('lists and shows applications as the applications page reads them', async () => {
    const app = result.applications.filter((a) => a.kind === 'application').sort((a, b) => b.members.length - a.members.length)[0]!;
    const j = await cli('applications', '--from', FROM, '--to', TO, '--json');
    expect(j.code, j.err).toBe(0);
    const list = JSON.parse(j.out);
    expect(list.applications.map((a: { id: string }) => a.id).sort()).toEqual(result.applications.map((a) => a.id).sort());
    const t = await cli('applications', 'list', '--from', FROM, '--to', TO);
    expect(t.out).toMatch(/^APPLICATION +KIND +MEMBERS +ROLES/);
    expect(t.out).toMatch(new RegExp(`^${app.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +application +${app.members.length} `, 'm'));
    const show = await cli('applications', 'show', app.id, '--from', FROM, '--to', TO);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain(`${app.id}: application, ${app.members.length} workloads`);
    for (const m of app.members.slice(0, 3)) expect(show.out).toContain(name(m));
    expect(show.out).toMatch(/Depends on \(\d+\):/);
    const missing = await cli('applications', 'show', 'no-such-app', '--from', FROM, '--to', TO);
    expect(missing.code).toBe(4);
  });

  it('lists workloads filtered and paged, and shows one with its address history and neighbours', async () => {
    const app = result.workloads.find((w) => w.id === inner.to)!.application!;
    const members = result.workloads.filter((w) => w.application === app);
    const j = await cli('workloads', '--from', FROM, '--to', TO, '--app', app, '--json');
    expect(j.code, j.err).toBe(0);
    const list = JSON.parse(j.out);
    expect(list.total).toBe(members.length);
    expect(list.workloads.map((w: { name: string }) => w.name).sort()).toEqual(members.map((w) => w.name).sort());
    const page = await cli('workloads', 'list', '--from', FROM, '--to', TO, '--limit', '2');
    expect(page.code, page.err).toBe(0);
    expect(page.out).toMatch(/^WORKLOAD +ADDRESSES +APPLICATION +ROLE/);
    expect(page.out).toMatch(/\n1-2 of \d+ workloads \(next: --offset 2\)\n$/);
    const show = await cli('workloads', 'show', name(inner.to), '--from', FROM, '--to', TO);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toMatch(new RegExp(`^${name(inner.to)} \\(`));
    expect(show.out).toMatch(/Address history:\n +ADDRESS +FROM +TO +SOURCE/);
    expect(show.out).toMatch(/Used by \(\d+\):/);
    expect(show.out).toContain(name(inner.from));
    const missing = await cli('workloads', 'show', 'no-such-workload');
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('no workload called no-such-workload');
  });
});

describe('bulkhead map', () => {
  it('prints the map data the map page folds, and the policy verdict of every dependency', async () => {
    const j = await cli('map', '--from', FROM, '--to', TO, '--json');
    expect(j.code, j.err).toBe(0);
    const data = JSON.parse(j.out);
    expect(data.edges).toHaveLength(result.edges.length);
    // every application in visibility until someone enforces it (the confirm test below enforces one)
    expect(new Set(data.applications.map((a: { enforcement: string }) => a.enforcement))).toEqual(new Set(['visibility']));
    expect(data.workloads).toHaveLength(result.workloads.length);
    const t = await cli('map', '--from', FROM, '--to', TO);
    expect(t.out).toMatch(new RegExp(`^Map of 2026-03-26 00:00 to 2026-03-30 00:00 UTC: ${result.workloads.length} workloads in \\d+ applications`));

    // nothing approved yet: every dependency is without a rule
    const p = await cli('map', '--from', FROM, '--to', TO, '--policy', '--json');
    expect(p.code, p.err).toBe(0);
    const overlay = JSON.parse(p.out);
    expect(overlay.counts).toEqual({ allowed: 0, proposed: 0, blocked: 0, norule: result.edges.length });
    expect(Object.keys(overlay.verdicts)).toHaveLength(result.edges.length);
    const pt = await cli('map', '--from', FROM, '--to', TO, '--policy', '--top', '3');
    expect(pt.out).toMatch(/^Map of .* under 0 approved and 0 proposed rules:\n +VERDICT +DEPENDENCIES +MEANING\n +allowed +0 /);
    expect(pt.out).toMatch(new RegExp(`Without a rule \\(${result.edges.length}, the 3 busiest\\):\\n +CLIENT +SERVER +PORT +FLOWS\\n`));

    // proposed rules cover what discovery found: the overlay says so
    const proposed = await cli('propose', '--from', FROM, '--to', TO);
    expect(proposed.code, proposed.err).toBe(0);
    const after = JSON.parse((await cli('map', '--from', FROM, '--to', TO, '--policy', '--json')).out);
    expect(after.rules.proposed).toBeGreaterThan(0);
    expect(after.counts.allowed).toBe(0);
    expect(after.counts.proposed).toBeGreaterThan(result.edges.length * 0.9);
  });
});

describe('bulkhead applications confirm', () => {
  // last in this file: confirming writes labels
  it('confirms one inferred application, then every other, audited; and lifts the gate on rules naming them', async () => {
    const list = async () => JSON.parse((await cli('applications', '--from', FROM, '--to', TO, '--json')).out).applications as Array<{ id: string; source: string; record: { confirmed: boolean } | null }>;
    const inferred = (await list()).filter((a) => a.source === 'inferred' && !a.record?.confirmed);
    expect(inferred.length).toBeGreaterThan(1);
    const bare = await cli('applications', 'confirm', '--from', FROM, '--to', TO);
    expect(bare.code, 'confirm needs an ID or --inferred').toBe(1);
    expect(bare.err).toContain('confirm ID... | confirm --inferred');
    expect((await cli('applications', 'confirm', 'no-such-app@prod', '--from', FROM, '--to', TO)).code).toBe(4);

    const one = await cli('applications', 'confirm', inferred[0]!.id, '--from', FROM, '--to', TO);
    expect(one.code, one.err).toBe(0);
    expect(one.out).toMatch(new RegExp(`^confirmed ${inferred[0]!.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ workloads?, \\d+ labels? changed\\n$`));
    expect((await list()).find((a) => a.id === inferred[0]!.id)?.record?.confirmed).toBe(true);

    const rest = await cli('applications', 'confirm', '--inferred', '--from', FROM, '--to', TO, '--json');
    expect(rest.code, rest.err).toBe(0);
    expect((JSON.parse(rest.out).confirmed as Array<{ application: string }>).map((c) => c.application).sort()).toEqual(inferred.slice(1).map((a) => a.id).sort());
    expect((await cli('applications', 'confirm', '--inferred', '--from', FROM, '--to', TO)).out).toBe('No inferred application left to confirm in this window.\n');
    const events = await rt.db.prisma.auditEvent.count({ where: { action: 'application.confirm', userAgent: 'bulkhead applications confirm' } });
    expect(events).toBe(inferred.length);

    // the rules proposed in the map test name only confirmed applications now: none is refused as unconfirmed
    const approve = await cli('rules', 'approve', '--all', '--json');
    expect(approve.err).not.toMatch(/discovery inferred and nobody confirmed/);

    // its page counts its rules as its review by application and environment does (both directions)
    const shown = JSON.parse((await cli('applications', 'show', inferred[0]!.id, '--from', FROM, '--to', TO, '--json')).out);
    const unit = (await reviewUnits(rt.db.prisma)).find((u) => u.unit === inferred[0]!.id)!;
    expect(unit.approved + unit.toReview).toBeGreaterThan(0);
    expect(shown.application.review).toEqual({ toReview: unit.toReview, approved: unit.approved });
    // and so does its row in the list (the table's "Rules to review" links to that review)
    const listed = JSON.parse((await cli('applications', 'list', '--from', FROM, '--to', TO, '--json')).out);
    expect(listed.applications.find((a: { id: string }) => a.id === inferred[0]!.id).review).toEqual(shown.application.review);

    // a confirmed application has a record, so it may be enforced: the map says which state it is in
    const [appName, env] = inferred[0]!.id.split('@') as [string, string];
    const enforce = async (state: string) => expect((await cli('enforce', appName, ...(env ? ['--env', env] : []), '--state', state, '--force')).code).toBe(0);
    await enforce('test');
    const states = JSON.parse((await cli('map', '--from', FROM, '--to', TO, '--json')).out).applications.filter((a: { enforcement: string }) => a.enforcement !== 'visibility');
    expect(states.map((a: { id: string; enforcement: string }) => `${a.id}:${a.enforcement}`)).toEqual([`${inferred[0]!.id}:test`]);
    await enforce('visibility');
  });
});
