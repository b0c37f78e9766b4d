// The readiness gate on a generated estate, through lib and the commands people run: rules are
// proposed from discovery and approved except one cross-application proposal, which is rejected.
// Readiness then lists that dependency as inbound for the application it reaches and outbound for
// the one it comes from, leaves the scanners out, refuses enforcing while anything is undecided
// (naming it and the command to decide), lets it through once each dependency is decided, and the
// audit log holds every decision; --force enforces past the gate and is audited as forced.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { queryAudit } from '../../lib/audit';
import { loadDemo } from '../../lib/demo/load';
import { isLabels, type Rule } from '../../lib/policy/model';
import { decideDependency, enforce, enforcementReadiness } from '../../lib/policy/readiness';
import { listRules } from '../../lib/policy/rules';
import { proposeFromDiscovery } from '../../lib/policy/service';
import { approveRules, rejectRules, type Who } from '../../lib/policy/workflow';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { bufferIO } from '../io';
import { runCli } from '../main';

const HOUR = 3_600_000;
// the estate ends now, so the default discovery window (the last DISCOVERY_DAYS) holds it
const END = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const who: Who = { actor: { type: 'system', name: 'readiness test' }, via: 'system' };

let rt: Runtime;
let rejected: Rule;
/** the application the rejected rule reaches (inbound there) and the one it comes from (outbound) */
let server: { app: string; env: string };
let client: { app: string; env: string };
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-enforce-cli-'));

async function cli(...argv: string[]) {
  const io = bufferIO();
  const code = await runCli(argv, { io, cwd: dir, forwardedRuntime: async () => rt, env: { BULKHEAD_HOME: rt.config.home, BULKHEAD_LOG_LEVEL: 'silent' } });
  return { code, out: io.stdout, err: io.stderr };
}

const side = (r: Rule, which: 'from' | 'to') => {
  const s = r[which];
  return isLabels(s) ? { app: s.labels.app ?? '', env: s.labels.env ?? '' } : null;
};

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  await loadDemo({ db: rt.db.prisma, store: rt.store }, { seed: 7, workloads: 60, days: 14, end: END });
  await proposeFromDiscovery(rt, {}, who);
  const proposed = await listRules(rt.db.prisma, { status: ['proposed'] });
  // a cross-application rule between two applications with an environment each, so that the
  // dependency it allowed is inbound for one and outbound for the other
  rejected = proposed.find((r) => r.evidence?.kind === 'cross-app' && side(r, 'from')?.app && side(r, 'from')?.env && side(r, 'to')?.app && side(r, 'to')?.env && side(r, 'from')!.app !== side(r, 'to')!.app)!;
  expect(rejected, 'a cross-application proposal between labelled applications').toBeTruthy();
  client = side(rejected, 'from')!;
  server = side(rejected, 'to')!;
  await rejectRules(rt.db.prisma, [rejected.id], who, { comment: 'not wanted (readiness test)' });
  await approveRules(rt.db.prisma, proposed.filter((r) => r.id !== rejected.id).map((r) => r.id), who, { comment: 'approved as proposed (readiness test)' });
}, 300_000);
afterAll(() => rt?.close());

describe('the readiness gate before enforcing', () => {
  it('lists the dependency the rejected rule allowed: inbound where it arrives, outbound where it leaves; scanners left out', async () => {
    const port = rejected.ports[0]!;
    const matches = (d: { service: string }) => d.service === `${port.protocol}/${port.port}`;
    const inbound = await enforcementReadiness(rt, { application: server.app, environment: server.env });
    expect(inbound.ready).toBe(false);
    const inDeps = inbound.dependencies.filter((d) => d.direction === 'inbound' && matches(d));
    expect(inDeps.length, JSON.stringify(inbound.dependencies.slice(0, 5))).toBeGreaterThan(0);
    expect(inDeps[0]).toMatchObject({ to: { kind: 'workload' }, decision: null, flows: expect.any(Number), bytes: expect.any(Number), lastSeen: expect.any(String) });
    const outbound = await enforcementReadiness(rt, { application: client.app, environment: client.env });
    expect(outbound.dependencies.some((d) => d.direction === 'outbound' && matches(d) && d.id === inDeps[0]!.id)).toBe(true);
    // nothing a scanner sent is asked about
    const scannerNames = new Set((await rt.db.prisma.label.findMany({ where: { key: 'role', value: 'scanner' }, include: { workload: true } })).map((l) => l.workload.name));
    for (const r of [inbound, outbound]) expect(r.dependencies.filter((d) => scannerNames.has(d.from.name))).toEqual([]);
    expect(inbound.scanners.dependencies + outbound.scanners.dependencies).toBeGreaterThan(0);
    // nor anything that never got an answer: it does not work today
    for (const r of [inbound, outbound]) expect(r.dependencies.filter((d) => d.failedFlows >= d.flows)).toEqual([]);
  });

  it('refuses to enforce while a dependency is undecided, naming it and the command; test and visibility pass', async () => {
    const r = await cli('enforce', server.app, '--env', server.env, '--state', 'enforced');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/is not ready to be enforced/);
    expect(r.err).toContain(`bulkhead enforce ${server.app} --env ${server.env} --decide ID --allow|--accept-block`);
    await expect(enforce(rt, { application: server.app, environment: server.env, state: 'enforced' }, who)).rejects.toMatchObject({ kind: 'conflict' });
    expect((await cli('enforce', server.app, '--env', server.env, '--state', 'test')).code).toBe(0);
    expect((await cli('enforce', server.app, '--env', server.env, '--state', 'visibility')).code).toBe(0);
  });

  it('prints the gate as a table and as JSON', async () => {
    const text = await cli('enforce', server.app, '--env', server.env, '--readiness');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/ID\s+DIRECTION\s+FROM\s+TO\s+PORT\s+FLOWS\s+BYTES\s+LAST SEEN\s+DECISION/);
    expect(text.out).toMatch(/UNDECIDED/);
    expect(text.out).toMatch(/Not ready\. Decide each/);
    const json = JSON.parse((await cli('enforce', server.app, '--env', server.env, '--readiness', '--json')).out);
    expect(json).toMatchObject({ application: server.app, environment: server.env, ready: false });
  });

  it('lets enforcing through once every dependency is decided; the audit holds each decision', async () => {
    const r = await enforcementReadiness(rt, { application: server.app, environment: server.env });
    const [first, ...rest] = r.dependencies;
    const d = await cli('enforce', server.app, '--env', server.env, '--decide', first!.id.slice(0, 8), '--accept-block', '--comment', 'the reports move elsewhere');
    expect(d.code, d.err).toBe(0);
    expect(d.out).toContain(`accept-block ${first!.id} ${first!.direction}`);
    if (rest.length) await decideDependency(rt, { application: server.app, environment: server.env, dependency: rest.map((x) => x.id), decision: 'accept-block', comment: 'test' }, who);
    const after = await enforcementReadiness(rt, { application: server.app, environment: server.env });
    expect(after).toMatchObject({ ready: true, undecided: 0 });
    expect(after.dependencies.find((x) => x.id === first!.id)!.decision).toMatchObject({ decision: 'accept-block', comment: 'the reports move elsewhere' });
    const e = await cli('enforce', server.app, '--env', server.env, '--state', 'enforced');
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/-> enforced/);
    const events = (await queryAudit(rt.db.prisma, { action: 'policy.readiness' }, { limit: 500 })).events;
    expect(events.length).toBe(r.dependencies.length);
    expect(events.find((x) => (x.after as { dependency: string }).dependency === first!.id)).toMatchObject({ via: 'cli', summary: expect.stringContaining('accept-block'), after: expect.objectContaining({ decision: 'accept-block', comment: 'the reports move elsewhere' }) });
    const enforced = (await queryAudit(rt.db.prisma, { action: 'policy.enforce' })).events[0]!;
    expect(enforced.after).not.toHaveProperty('forced');
  }, 180_000);

  it('allow proposes a manual rule for the dependency', async () => {
    const r = await enforcementReadiness(rt, { application: client.app, environment: client.env });
    const dep = r.dependencies.find((x) => x.direction === 'outbound' && x.to.kind === 'workload')!;
    const d = await decideDependency(rt, { application: client.app, environment: client.env, dependency: dep.id, decision: 'allow', comment: 'still needed' }, who);
    expect(d.rules.length).toBeGreaterThan(0);
    expect(d.dependencies[0]!.decision).toMatchObject({ decision: 'allow', ruleId: d.rules[0]!.id });
    const rule = (await listRules(rt.db.prisma)).find((x) => x.id === d.rules[0]!.id)!;
    expect(rule).toMatchObject({ origin: 'manual', status: 'proposed', owner: client.app, intent: expect.stringContaining('readiness decision') });
  });

  it('--force enforces past the gate, and the audit says so', async () => {
    const r = await enforcementReadiness(rt, { application: client.app, environment: client.env });
    expect(r.ready).toBe(false);
    const f = await cli('enforce', client.app, '--env', client.env, '--state', 'enforced', '--force');
    expect(f.code, f.err).toBe(0);
    const ev = (await queryAudit(rt.db.prisma, { action: 'policy.enforce' })).events[0]!;
    expect(ev).toMatchObject({ summary: expect.stringContaining('forced past the readiness gate'), after: expect.objectContaining({ state: 'enforced', forced: true, undecided: r.undecided }) });
  });

  it('export warns with the figures when it would drop observed traffic of an enforced application; accepted blocks are not counted', async () => {
    const r = await cli('export', '--format', 'baseline');
    expect(r.code, r.err).toBe(0);
    const line = r.err.split('\n').find((l) => l.includes('would drop'))!;
    expect(line).toMatch(/^warning: the exported rules would drop [\d,]+ observed flows? of enforced applications \([\d,]+ dependenc(y|ies) over .*\), largest: /);
    expect(line).toContain(`${client.app}@${client.env} outbound`);
    // server's dependencies were all accepted as blocked: none of them is in the warning
    expect(line).not.toContain(`${server.app}@${server.env} inbound`);
  }, 120_000);
});
