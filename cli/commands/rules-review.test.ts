// `bulkhead rules list|approve --app APP --env ENV`: one application in one environment, both
// directions, and the refusal of rules over an inferred application nobody confirmed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { parsePortsText, type Selector } from '../../lib/policy/model';
import { listRules } from '../../lib/policy/rules';
import { createRules } from '../../lib/policy/workflow';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { bufferIO } from '../io';
import { runCli } from '../main';

let rt: Runtime;
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-rules-review-'));
const ids: Record<string, string> = {};

async function cli(...argv: string[]) {
  const io = bufferIO();
  const code = await runCli(argv, { io, cwd: dir, forwardedRuntime: async () => rt, env: { BULKHEAD_HOME: rt.config.home, BULKHEAD_LOG_LEVEL: 'silent' } });
  return { code, out: io.stdout, err: io.stderr };
}

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  const p = rt.db.prisma;
  const T0 = new Date('2026-03-01T00:00:00Z');
  const wl = async (name: string, ip: string, labels: Record<string, string>, source = 'inventory') =>
    p.workload.create({
      data: {
        name,
        source: 'json',
        addresses: { create: [{ ip, validFrom: T0, source: 'json' }] },
        labels: { create: Object.entries(labels).map(([key, value]) => ({ key, value, source: key === 'app' ? source : 'inventory', confirmed: source !== 'inferred' || key !== 'app' })) },
      },
    });
  await wl('orders-1', '10.0.0.1', { app: 'orders', env: 'prod' });
  await wl('payments-1', '10.0.0.2', { app: 'payments', env: 'prod' });
  await wl('vm-7', '10.0.0.7', { app: 'app-vm-7', env: 'prod' }, 'inferred');
  const who = { actor: { type: 'system' as const, name: 'test' }, via: 'system' as const };
  const add = async (key: string, from: Selector, to: Selector, app: string) => {
    const r = await createRules(p, [{ from, to, ports: parsePortsText('tcp/443'), intent: key, owner: app, application: app }], who, { origin: 'manual' });
    ids[key] = r.created[0]!.id;
  };
  await add('in', { labels: { app: 'payments', env: 'prod' } }, { labels: { app: 'orders', env: 'prod' } }, 'orders');
  await add('out', { labels: { app: 'orders', env: 'prod' } }, { labels: { app: 'payments', env: 'prod' } }, 'payments');
  await add('inferred', { labels: { app: 'app-vm-7', env: 'prod' } }, { labels: { app: 'orders', env: 'prod' } }, 'orders');
}, 120_000);
afterAll(() => rt?.close());

describe('bulkhead rules by application and environment', () => {
  it('lists one direction or both', async () => {
    const out = JSON.parse((await cli('rules', 'list', '--app', 'orders', '--env', 'prod', '--direction', 'out', '--json')).out) as Array<{ id: string; direction: string }>;
    expect(out.map((r) => [r.id, r.direction])).toEqual([[ids.out, 'outbound']]);
    const both = JSON.parse((await cli('rules', 'list', '--app', 'orders', '--env', 'prod', '--json')).out) as Array<{ id: string }>;
    expect(both.map((r) => r.id).sort()).toEqual([ids.in, ids.out, ids.inferred].sort());
    expect((await cli('rules', 'list', '--direction', 'in')).err).toMatch(/--app APP --env ENV/);
    expect((await cli('rules', 'list', '--app', 'orders', '--env', 'dev')).err).toMatch(/orders@prod/);
  });

  it('approves both directions and refuses the rule over the unconfirmed inferred application, saying what to do', async () => {
    const r = await cli('rules', 'approve', '--app', 'orders', '--env', 'prod', '--comment', 'orders@prod reviewed');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/2 rules approved, 1 refused/);
    expect(r.out).toMatch(/app-vm-7@prod.*confirm it/);
    expect(r.err).toMatch(/confirm them .* or rewrite the rules/);
    const status = Object.fromEntries((await listRules(rt.db.prisma)).map((x) => [x.id, x.status]));
    expect(status).toEqual({ [ids.in!]: 'approved', [ids.out!]: 'approved', [ids.inferred!]: 'proposed' });
  });
});
