// The policy on a generated estate, through the commands people run: the hold-out measurement of
// the Done-when (propose on the first five weeks, approve as proposed, simulate the last week
// against the ground truth), then propose again (nothing new), review, simulate, blast radius,
// every export format read back (nft -c on every host), import of the baseline, baselines.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { queryAudit } from '../../lib/audit';
import type { Estate } from '../../lib/demo/estate';
import { loadDemo } from '../../lib/demo/load';
import { createUser } from '../../lib/auth/users';
import { checkNftables } from '../../lib/export/nft-check';
import { unpackArchive } from '../../test/archive';
import { evaluateHoldout, type HoldoutResult } from '../../lib/policy/holdout';
import { loadPolicyView } from '../../lib/policy/labels';
import { listRules } from '../../lib/policy/rules';
import type { SimulationResult } from '../../lib/policy/simulate';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { bufferIO } from '../io';
import { runCli } from '../main';

const DAY = 86_400_000;
const END = new Date('2026-03-30T00:00:00Z');
const TEST_FROM = new Date(END.getTime() - 7 * DAY);

let rt: Runtime;
let estate: Estate;
let holdout: HoldoutResult;
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-policy-cli-'));

async function cli(...argv: string[]) {
  const io = bufferIO();
  const code = await runCli(argv, { io, cwd: dir, forwardedRuntime: async () => rt, env: { BULKHEAD_HOME: rt.config.home, BULKHEAD_LOG_LEVEL: 'silent' } });
  return { code, out: io.stdout, err: io.stderr };
}

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  const loaded = await loadDemo({ db: rt.db.prisma, store: rt.store }, { seed: 7, workloads: 120, days: 42, end: END });
  estate = loaded.estate;
  holdout = await evaluateHoldout(rt, estate, { train: { from: new Date(estate.start), to: TEST_FROM }, test: { from: TEST_FROM, to: END } });
}, 240_000);
afterAll(() => rt?.close());

describe('the policy on a generated estate with a held-out final week', () => {
  it('allows at least 99.9% of legitimate held-out flows, no scanner flow, and shrinks one-hop blast radius', () => {
    const f = holdout.flows;
    expect(f.unknown, 'every decided conversation is known to the ground truth').toBe(0);
    expect(f.scannerProbes).toBeGreaterThan(1000);
    expect(f.scannerOwn, 'the scanner resolves names too: none of its flows are allowed').toBeGreaterThan(0);
    expect(f.scannerAllowed).toBe(0);
    expect(f.legitimate).toBeGreaterThan(50_000);
    expect(f.legitimateAllowedRatio, JSON.stringify(holdout.blockedLegitimate)).toBeGreaterThanOrEqual(0.999);
    // 120 workloads: the flat network is small, so the bar here is lower than the benchmark's 90% at 300
    expect(holdout.blast.oneHopReduction).toBeGreaterThanOrEqual(0.85);
    expect(holdout.proposalKinds).toMatchObject({ 'core-service': expect.any(Number), management: expect.any(Number), 'intra-app': expect.any(Number), ingress: expect.any(Number) });
  });
});

describe('bulkhead propose, rules, simulate, blast-radius', () => {
  it('proposes again without duplicating or touching approved rules', async () => {
    const before = (await listRules(rt.db.prisma, { status: ['approved'] })).length;
    const r = await cli('propose', '--from', new Date(estate.start).toISOString(), '--to', TEST_FROM.toISOString(), '--json');
    expect(r.code, r.err).toBe(0);
    const run = JSON.parse(r.out);
    expect(run.saved).toMatchObject({ created: 0, coveredByApproved: before });
    expect((await listRules(rt.db.prisma, { status: ['approved'] })).length).toBe(before);
  });

  it('lists, shows and reviews rules, with the audit log keeping track', async () => {
    const list = await cli('rules', 'list', '--kind', 'intra-app');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^ID\s+STATUS\s+APP\s+KIND\s+FROM\s+TO\s+PORTS/);
    const rules = JSON.parse((await cli('rules', 'list', '--json')).out) as Array<{ id: string; status: string; rule: string; evidence: { kind: string } | null; application: string | null }>;
    const intra = rules.find((r) => r.evidence?.kind === 'intra-app' && r.rule.includes('tcp/'))!;
    const show = await cli('rules', 'show', intra.id.slice(-8));
    expect(show.out).toContain(intra.rule);
    expect(show.out).toMatch(/history[\s\S]*approve/);

    const widen = await cli('rules', 'narrow', intra.id.slice(-8), '--ports', 'tcp/1-65535', '--comment', 'try');
    expect(widen.code).toBe(1);
    expect(widen.err).toMatch(/would let more through/);
    const add = await cli('rules', 'add', '--from', '10.100.0.0/16', '--to', 'app=wiki', '--ports', 'tcp/443', '--intent', 'Users read the wiki.', '--app', 'wiki');
    expect(add.code, add.err).toBe(0);
    const id = /rule (\w{8})/.exec(add.out)![1]!;
    expect((await cli('rules', 'reject', id)).err).toMatch(/--comment/);
    expect((await cli('rules', 'approve', id, '--expires', '2099-01-01', '--comment', 'until the wiki moves')).out).toMatch(/1 rules approved/);
    const ev = (await queryAudit(rt.db.prisma, { action: 'rule.approve', targetId: (await listRules(rt.db.prisma)).find((r) => r.id.endsWith(id))!.id })).events[0]!;
    expect(ev).toMatchObject({ via: 'cli', summary: expect.stringContaining('until the wiki moves'), after: expect.objectContaining({ status: 'approved', expires: '2099-01-01T00:00:00.000Z' }) });
  });

  it('simulates the approved policy over the held-out week', async () => {
    const week = ['--from', TEST_FROM.toISOString(), '--to', END.toISOString()];
    const r = await cli('simulate', ...week, '--enforcement', 'all', '--json');
    expect(r.code, r.err).toBe(0);
    const sim = JSON.parse(r.out);
    expect(sim.enforcement).toEqual({ mode: 'all', enforced: [], test: [] });
    expect(sim.totals.flows).toBe(holdout.flows.total);
    expect(sim.totals.allowedFlows).toBeGreaterThanOrEqual(holdout.flows.legitimateAllowed);
    expect(sim.blocked.length).toBeGreaterThan(0);
    const text = await cli('simulate', ...week, '--enforcement', 'all', '--top', '5');
    expect(text.out).toMatch(/Policy "approved" \(\d+ rules\)/);
    expect(text.out).toMatch(/Largest would-block dependencies \(5 of/);
    const monitor = await cli('simulate', '--monitor', '--json');
    expect(monitor.code, monitor.err).toBe(0);
    expect(JSON.parse(monitor.out)).toMatchObject({ approvedRules: expect.any(Number), stale: { days: 30 } });
  });

  it('simulates as exported: nothing enforced blocks nothing, one application enforced blocks only its own flows', async () => {
    const week = ['--from', TEST_FROM.toISOString(), '--to', END.toISOString()];
    const sim = async (...more: string[]) => {
      const r = await cli('simulate', ...week, '--top', '1000', ...more, '--json');
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as SimulationResult;
    };
    const all = await sim('--enforcement', 'all');
    const open = await sim();
    expect(open.enforcement).toEqual({ mode: 'as-set', enforced: [], test: [] });
    expect(open.totals).toMatchObject({ flows: all.totals.flows, blockedFlows: 0, allowedFlows: all.totals.flows, loggedFlows: 0 });
    expect(open.blocked).toEqual([]);
    // coverage is the rules' own, whatever is enforced
    expect(open.coverage).toEqual(all.coverage);
    expect((await cli('simulate', ...week)).out).toMatch(/enforced nothing .*\n[^]*No application is enforced, so nothing is blocked/);

    // the application whose flows the rules alone would block most, enforced in its environment
    const worst = all.applications.find((a) => a.application.includes('@') && a.blockedFlows > 0)!;
    const [app, env] = worst.application.split('@') as [string, string];
    expect((await cli('enforce', app, '--env', env, '--state', 'enforced')).code).toBe(0);
    try {
      const one = await sim();
      expect(one.enforcement).toEqual({ mode: 'as-set', enforced: [worst.application], test: [] });
      expect(one.totals.blockedFlows).toBe(worst.blockedFlows);
      expect(one.totals.blockedFlows).toBeLessThan(all.totals.blockedFlows);
      expect(one.applications.find((a) => a.application === worst.application)!.blockedFlows).toBe(worst.blockedFlows);
      const ids = new Set((await loadPolicyView(rt.db.prisma, { all: true })).workloads.filter((w) => w.labels.app === app && w.labels.env === env).map((w) => w.id));
      expect(one.blocked.length).toBeGreaterThan(0);
      for (const b of one.blocked) expect(ids.has(b.from.key) || ids.has(b.to.key), `${b.from.name} -> ${b.to.name}`).toBe(true);
      // in test instead: nothing blocked, the same flows logged
      expect((await cli('enforce', app, '--env', env, '--state', 'test')).code).toBe(0);
      const logged = await sim();
      expect(logged.totals).toMatchObject({ blockedFlows: 0, loggedFlows: worst.blockedFlows });
    } finally {
      await cli('enforce', app, '--env', env, '--state', 'visibility');
    }
  });

  it('shows blast radius overall and for one workload', async () => {
    const r = JSON.parse((await cli('blast-radius', '--json')).out);
    expect(r.approved.reduction.oneHop).toBeGreaterThanOrEqual(0.85);
    expect(r.flat.oneHop).toBe(r.workloads - 1);
    // nothing is enforced here: the approved rules drop nothing yet, and the report says so
    expect(r.enforced).toMatchObject({ applicationsEnforced: 0, reduction: { oneHop: 0, multiHop: 0 } });
    expect((await cli('blast-radius')).out).toMatch(/approved, as enforced now .* 0\.0%[\s\S]*0 applications enforced/);
    const name = estate.workloads.find((w) => w.role === 'api' && w.env === 'prod')!.name;
    const one = await cli('blast-radius', name);
    expect(one.code, one.err).toBe(0);
    expect(one.out).toContain(`Blast radius of ${name}`);
    expect((await cli('blast-radius', 'no-such-host')).err).toMatch(/no workload no-such-host/);
  });
});

describe('bulkhead export, import baseline, baselines', () => {
  it('exports every format, read back by its parser; nftables passes nft -c on every host', async () => {
    // every application enforced, so each format writes all it can; past the readiness gate
    // (--force), which ./enforce.test.ts exercises: here the formats are the point
    const pairs = JSON.parse((await cli('enforce', '--list', '--json')).out) as Array<{ application: string; environment: string; state: string }>;
    expect(pairs.length).toBeGreaterThan(5);
    expect(pairs.every((p) => p.state === 'visibility')).toBe(true);
    for (const p of pairs) {
      const r = await cli('enforce', p.application, '--env', p.environment, '--state', 'enforced', '--force');
      expect(r.code, r.err).toBe(0);
    }
    for (const f of ['kubernetes', 'cilium', 'calico', 'calico-staged']) {
      const r = await cli('export', '--format', f, '-o', `${f}.yaml`);
      expect(r.code, r.err).toBe(0);
      const docs = parseAllDocuments(readFileSync(join(dir, `${f}.yaml`), 'utf8'));
      expect(docs.every((d) => d.errors.length === 0)).toBe(true);
      // the demo estate is VMs and instances: no pod for Kubernetes or Cilium to select, and they say so
      if (f === 'kubernetes' || f === 'cilium') {
        expect(docs.filter((d) => d.contents !== null)).toEqual([]);
        expect(r.err).toMatch(/\d+ rules left out: the workloads they protect are not Kubernetes pods/);
      } else expect(docs.length).toBeGreaterThan(50);
    }
    for (const f of ['aws', 'nsx']) {
      expect((await cli('export', '--format', f, '-o', `${f}.json`)).code).toBe(0);
      expect(() => JSON.parse(readFileSync(join(dir, `${f}.json`), 'utf8'))).not.toThrow();
    }
    const nft = await cli('export', '--format', 'nftables', '-o', 'nft', '--check');
    expect(nft.code, nft.err).toBe(0);
    expect(nft.err).toMatch(/nft -c: (\d+) of \1 rulesets valid/);
    const files = readdirSync(join(dir, 'nft'));
    expect(files.length).toBeGreaterThan(100);
    expect(checkNftables(files.slice(0, 3).map((n) => ({ name: n, content: readFileSync(join(dir, 'nft', n), 'utf8') }))).every((c) => c.ok)).toBe(true);
    const exports = await queryAudit(rt.db.prisma, { action: 'policy.export' });
    expect(exports.events.length).toBe(7);

    // -o NAME.tar.gz: the same files, under the same names, in one archive (each export is dated when made)
    const archived = await cli('export', '--format', 'nftables', '-o', 'nft.tar.gz');
    expect(archived.code, archived.err).toBe(0);
    expect(archived.err).toMatch(new RegExp(`Wrote .*nft\\.tar\\.gz \\(${files.length} files in the archive\\)`));
    const undated = (t: string) => t.replace(/, generated \S+/, '');
    const entries = await unpackArchive(readFileSync(join(dir, 'nft.tar.gz')));
    expect(entries.map((e) => e.name).sort()).toEqual([...files].sort());
    for (const e of entries) expect(undated(e.content)).toBe(undated(readFileSync(join(dir, 'nft', e.name), 'utf8')));
  }, 180_000); // every format through the CLI and nft -c on each of ~300 host files: 28 s at a load of 9

  it('enforcing one application drops only on its hosts; test logs; every other host is left open', async () => {
    const pairs = JSON.parse((await cli('enforce', '--list', '--json')).out) as Array<{ application: string; environment: string; workloads: number }>;
    for (const p of pairs) expect((await cli('enforce', p.application, '--env', p.environment, '--state', 'visibility')).code).toBe(0);
    const [one, two] = pairs.filter((p) => p.environment && p.workloads > 1);
    expect((await cli('enforce', one!.application, '--env', one!.environment, '--state', 'enforced', '--force')).out).toContain(`${one!.application}@${one!.environment}: visibility -> enforced`);
    expect((await cli('enforce', two!.application, '--env', two!.environment, '--state', 'test')).code).toBe(0);
    const table = (await cli('enforce', '--list')).out;
    expect(table).toMatch(new RegExp(`${one!.application}\\s+${one!.environment}\\s+enforced`));

    const nft = await cli('export', '--format', 'nftables', '-o', 'nft-one', '--check');
    expect(nft.code, nft.err).toBe(0);
    const contents = readdirSync(join(dir, 'nft-one')).map((n) => readFileSync(join(dir, 'nft-one', n), 'utf8'));
    const dropping = contents.filter((c) => /policy drop/.test(c));
    expect(dropping).toHaveLength(one!.workloads);
    for (const c of dropping) expect(c).toContain(`# Enforcement: enforced for ${one!.application}@${one!.environment}`);
    const testing = contents.filter((c) => c.includes('log prefix "bulkhead-test input: " accept'));
    expect(testing).toHaveLength(two!.workloads);
    expect(contents.filter((c) => !/drop/.test(c)).length).toBe(contents.length - one!.workloads);

    // no pod in the demo estate: Kubernetes isolates nothing, whatever is enforced
    const k8s = await cli('export', '--format', 'kubernetes');
    expect(parseAllDocuments(k8s.out).filter((d) => d.contents !== null)).toEqual([]);
    expect(k8s.err).toContain(`${two!.application}@${two!.environment} is in test`);

    // an app owner sets the state of their own applications only
    const owner = await createUser(rt.db.prisma, { email: 'owner@enforce.test', role: 'owner' });
    const asOwner = async (app: string) => {
      const io = bufferIO();
      const actor = { type: 'user' as const, id: owner.id, userId: owner.id, name: owner.email, role: 'owner' as const };
      const code = await runCli(['enforce', app, '--env', one!.environment, '--state', 'test'], { io, cwd: dir, actor, forwardedRuntime: async () => rt, env: { BULKHEAD_HOME: rt.config.home, BULKHEAD_LOG_LEVEL: 'silent' } });
      return { code, err: io.stderr };
    };
    const refused = await asOwner(one!.application);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/only of applications they own/);
    await rt.db.prisma.applicationOwner.create({ data: { applicationId: (await rt.db.prisma.application.findUniqueOrThrow({ where: { name: one!.application } })).id, userId: owner.id } });
    expect((await asOwner(one!.application)).code).toBe(0);
    expect((await cli('enforce', one!.application, '--env', one!.environment, '--state', 'enforced', '--force')).code).toBe(0);

    const wrong = await cli('enforce', one!.application, '--env', 'no-such-env', '--state', 'enforced');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(/carries env=no-such-env/);
    const audit = await queryAudit(rt.db.prisma, { action: 'policy.enforce' }, { limit: 500 });
    expect(audit.events.slice(0, 3).map((e) => [e.actor.type, e.actor.name.replace(/^local operator.*/, 'local operator'), (e.after as { state: string }).state])).toEqual([
      ['local', 'local operator', 'enforced'],
      ['user', 'owner@enforce.test', 'test'],
      ['local', 'local operator', 'test'],
    ]);
    expect(await queryAudit(rt.db.prisma, { action: 'auth.denied' })).toMatchObject({ events: [{ actor: { name: 'owner@enforce.test' }, target: { type: 'application' } }] });
  });

  it('exports the baseline and imports it back without creating anything twice', async () => {
    expect((await cli('export', '--format', 'baseline', '-o', 'policy.json')).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8'));
    expect(doc).toMatchObject({ apiVersion: 'bulkhead/v1', kind: 'Baseline', metadata: { policy: 'approved' } });
    const dry = await cli('import', 'baseline', 'policy.json', '--dry-run');
    expect(dry.out).toMatch(/valid baseline/);
    const r = await cli('import', 'baseline', 'policy.json', '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ created: [], existing: expect.arrayContaining([expect.any(String)]) });
    const broken = await cli('import', 'baseline', 'missing.yaml');
    expect(broken.err).toMatch(/cannot read missing\.yaml/);
  });

  it('snapshots approved rules as versioned baselines and diffs them', async () => {
    expect((await cli('baselines', 'create', 'estate', '--note', 'first review')).out).toMatch(/Created baseline estate v1/);
    const rules = await listRules(rt.db.prisma, { status: 'approved' });
    const target = rules.find((r) => r.ports.length > 1 && r.ports.every((p) => p.protocol === 'tcp' && p.port !== undefined))!;
    const keep = `tcp/${target.ports[0]!.port}`;
    expect((await cli('rules', 'narrow', target.id, '--ports', keep, '--comment', 'one port is enough')).code).toBe(0);
    const v2 = await cli('baselines', 'create', 'estate');
    expect(v2.out).toMatch(/Created baseline estate v2/);
    expect(v2.out).toMatch(/0 added, 0 removed, 1 changed/);
    const diff = JSON.parse((await cli('baselines', 'diff', 'estate@1', 'estate@2', '--json')).out);
    expect(diff.changed).toEqual([expect.objectContaining({ id: target.id, fields: ['ports'] })]);
    expect((await cli('export', '--baseline', 'estate@1', '--format', 'baseline', '-o', 'v1.yaml')).code).toBe(0);
    expect(readFileSync(join(dir, 'v1.yaml'), 'utf8')).toMatch(/version: 1/);
  });
});
