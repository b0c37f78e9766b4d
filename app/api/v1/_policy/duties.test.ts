// Who may do what to a rule, as API clients: every role (an owner of the rule's application, an
// owner of another one) against every review action, on a fresh rule each time. An owner may
// narrow and approve their rules, but a rule widened past its evidence goes to a security reviewer
// (admin, architect), and nobody approves a rule whose last change is theirs.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../../test/support';
import { queryAudit } from '../../../../lib/audit';
import type { Role } from '../../../../lib/auth/permissions';
import { createApiToken } from '../../../../lib/auth/tokens';
import { createUser } from '../../../../lib/auth/users';
import { parsePortsText } from '../../../../lib/policy/model';
import { findRule } from '../../../../lib/policy/rules';
import { createRules } from '../../../../lib/policy/workflow';
import { openRuntime, shareRuntime, type Runtime } from '../../../../lib/runtime';
import type { RouteHandler } from '../../_lib/route';
import * as approveOne from '../rules/[id]/approve/route';
import * as rejectOne from '../rules/[id]/reject/route';
import * as ruleOne from '../rules/[id]/route';
import * as approveMany from '../rules/approve/route';
import * as rulesList from '../rules/route';
import * as exportRoute from '../export/route';

type Who = Role | 'other-owner';
const WHO: readonly Who[] = ['admin', 'architect', 'owner', 'other-owner', 'viewer'];

let rt: Runtime;
const token = {} as Record<Who, string>;
const system = { actor: { type: 'system' as const, name: 'duties test' }, via: 'system' as const };
let serial = 0;

beforeAll(async () => {
  rt = await openRuntime(testConfig());
  shareRuntime(rt);
  const db = rt.db.prisma;
  for (const who of WHO) {
    const role: Role = who === 'other-owner' ? 'owner' : who;
    const u = await createUser(db, { email: `${who}@duties.test`, role });
    token[who] = (await createApiToken(db, { userId: u.id, name: 'test', role, maxRole: 'admin' })).token;
  }
  for (const [app, who] of [['shop', 'owner'], ['crm', 'other-owner']] as const) {
    const a = await db.application.create({ data: { name: app } });
    const u = await db.user.findUniqueOrThrow({ where: { email: `${who}@duties.test` } });
    await db.applicationOwner.create({ data: { applicationId: a.id, userId: u.id } });
  }
}, 120_000);
afterAll(() => rt?.close());

async function call(handler: RouteHandler, who: Who, path: string, opts: { method?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const req = new NextRequest(new URL(path, 'http://127.0.0.1:3000'), {
    method,
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json', 'x-bulkhead-peer': '127.0.0.1', 'user-agent': 'duties-test' },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

/** A fresh proposed rule of shop: shop web calls shop api on 8080 (its evidence). */
async function freshRule(): Promise<string> {
  serial++;
  const { created } = await createRules(
    rt.db.prisma,
    [{ from: { labels: { app: 'shop', role: 'web' } }, to: { labels: { app: 'shop', role: 'api' } }, ports: parsePortsText(`tcp/${8000 + serial}`), intent: 'web to api', owner: 'shop', application: 'shop' }],
    system,
    { origin: 'manual' },
  );
  return created[0]!.id;
}

const patch = (who: Who, id: string, body: Record<string, unknown>) => call(ruleOne.PATCH, who, `/api/v1/rules/${id}`, { method: 'PATCH', body: { comment: 'test', ...body }, params: { id } });
const approve = (who: Who, id: string) => call(approveOne.POST, who, `/api/v1/rules/${id}/approve`, { body: {}, params: { id } });
const widen = (who: Who, id: string) => patch(who, id, { from: { any: true } });
const narrowTo = (who: Who, id: string) => patch(who, id, { from: { labels: { app: 'shop', role: 'web', env: 'prod' } } });

/** status per role; 'ok' is 200 */
type Row = Record<Who, number>;
const everyone = (n: number): Row => ({ admin: n, architect: n, owner: n, 'other-owner': n, viewer: n });

const MATRIX: Array<{ action: string; run: (who: Who, id: string) => Promise<{ status: number }>; expect: Row }> = [
  { action: 'narrow a proposed rule', run: (who, id) => narrowTo(who, id), expect: { ...everyone(200), 'other-owner': 403, viewer: 403 } },
  { action: 'widen a proposed rule (allowed: it then awaits a security reviewer)', run: (who, id) => widen(who, id), expect: { ...everyone(200), 'other-owner': 403, viewer: 403 } },
  { action: 'approve a rule as proposed', run: (who, id) => approve(who, id), expect: { ...everyone(200), 'other-owner': 403, viewer: 403 } },
  {
    action: 'approve a rule the owner widened',
    run: async (who, id) => {
      expect((await widen('owner', id)).status).toBe(200);
      return approve(who, id);
    },
    expect: { ...everyone(200), owner: 403, 'other-owner': 403, viewer: 403 },
  },
  {
    action: 'approve a rule an architect widened',
    run: async (who, id) => {
      expect((await widen('architect', id)).status).toBe(200);
      return approve(who, id);
    },
    // the architect made the last change: someone else approves
    expect: { ...everyone(403), admin: 200 },
  },
  {
    action: 'approve a rule one narrowed oneself',
    run: async (who, id) => {
      if (who !== 'other-owner' && who !== 'viewer') expect((await narrowTo(who, id)).status).toBe(200);
      return approve(who, id);
    },
    expect: everyone(403),
  },
  { action: 'reject a proposed rule', run: (who, id) => call(rejectOne.POST, who, `/api/v1/rules/${id}/reject`, { body: { comment: 'not needed' }, params: { id } }), expect: { ...everyone(200), 'other-owner': 403, viewer: 403 } },
  { action: 'export a policy', run: (who) => call(exportRoute.GET, who, '/api/v1/export?format=baseline'), expect: { ...everyone(403), admin: 200, architect: 200 } },
];

describe('who may do what to a rule', () => {
  for (const row of MATRIX) {
    it(`${row.action}: ${WHO.map((w) => `${w} ${row.expect[w]}`).join(', ')}`, async () => {
      for (const who of WHO) {
        const id = await freshRule();
        expect({ who, status: (await row.run(who, id)).status }).toEqual({ who, status: row.expect[who] });
      }
    });
  }

  it('says why an approval was refused, keeps the rule proposed, audits the refusal and approves the rest of a bulk', async () => {
    const widened = await freshRule();
    const plain = await freshRule();
    await widen('owner', widened);
    const one = await approve('owner', widened);
    expect(one.status).toBe(403);
    expect(one.body.error).toMatch(/widened past its evidence by owner@duties\.test.*security reviewer/);
    const bulk = await call(approveMany.POST, 'owner', '/api/v1/rules/approve', { body: { ids: [widened, plain] } });
    expect(bulk).toMatchObject({ status: 200, body: { approved: 1, refused: 1 } });
    expect((await findRule(rt.db.prisma, widened)).status).toBe('proposed');
    expect((await findRule(rt.db.prisma, plain)).status).toBe('approved');
    const denied = await queryAudit(rt.db.prisma, { action: 'rule.approve', targetId: widened, outcome: 'denied' });
    expect(denied.events.length).toBe(2);
    expect(denied.events[0]!.summary).toMatch(/refused to approve/);
    // narrowed back within its evidence, it is the owner's to approve again (once someone else made the last change)
    expect((await patch('architect', widened, { from: { labels: { app: 'shop', role: 'web' } } })).status).toBe(200);
    expect((await approve('owner', widened)).status).toBe(200);
  });

  it("tells each reader, in the rules' JSON, which rules need a security reviewer and which are not theirs to approve", async () => {
    const widened = await freshRule();
    const plain = await freshRule();
    await widen('owner', widened);
    const reviewOf = async (who: Who, id: string) => {
      const list = await call(rulesList.GET, who, '/api/v1/rules?status=proposed');
      const one = await call(ruleOne.GET, who, `/api/v1/rules/${id}`, { params: { id } });
      const inList = (list.body.rules as Array<{ id: string; review: unknown }>).find((r) => r.id === id)!.review;
      expect(one.body.rule.review).toEqual(inList);
      return inList as { widened: boolean; widenedBy: string | null; lastChangedBy: string | null; notYours: string | null } | null;
    };
    expect(await reviewOf('owner', plain)).toBeNull();
    expect(await reviewOf('owner', widened)).toMatchObject({ widened: true, widenedBy: 'owner@duties.test', lastChangedBy: 'owner@duties.test', notYours: expect.stringMatching(/security reviewer/) });
    expect(await reviewOf('architect', widened)).toMatchObject({ widened: true, notYours: null });
    // what the JSON says is what approval does
    expect((await approve('owner', widened)).status).toBe(403);
    expect((await approve('architect', widened)).status).toBe(200);
  });

  it('lets one person edit and approve when separation of duties is off', async () => {
    const id = await freshRule();
    await widen('architect', id);
    expect((await approve('architect', id)).status).toBe(403);
    rt.config.review.separationOfDuties = false;
    try {
      expect((await approve('architect', id)).status).toBe(200);
      // a widened rule still needs a security reviewer
      const other = await freshRule();
      await widen('owner', other);
      expect((await approve('owner', other)).status).toBe(403);
    } finally {
      rt.config.review.separationOfDuties = true;
    }
  });
});
