// The review workflow and baselines on both relational stores: re-proposing updates and never
// duplicates nor touches an approved rule; approve, reject, narrow and expiry write the rule's
// history and the audit log in one transaction; baselines are versioned snapshots with diffs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPgDatabase, pgSkipReason, pgUrl } from '../../test/support';
import { queryAudit } from '../audit';
import type { DatabaseConfig } from '../config';
import { openDatabase, type Db } from '../db';
import { createBaseline, diffBaselines, getBaseline, listBaselines } from './baselines';
import { makeView } from './labels';
import { parsePortsText, PolicyError, type Evidence, type PortSpec, type Selector } from './model';
import { proposalKey, type Proposal, type ProposalSet } from './propose';
import { findRule, listRules, policyRules, ruleHistory } from './rules';
import { approveRules, createRules, expireRules, narrowRule, rejectRules, saveProposals, type Who } from './workflow';

const providers: Array<[string, () => Promise<DatabaseConfig>]> = [
  ['SQLite', async () => ({ provider: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'bulkhead-policy-')), 'state.db') })],
  ['PostgreSQL', async () => ({ provider: 'postgresql', url: await createPgDatabase() })],
];

const alice: Who = { actor: { type: 'user', id: 'u-alice', userId: null, name: 'alice@example.com', role: 'architect' }, via: 'cli' };
const W0 = new Date('2026-03-01T00:00:00Z');
const W1 = new Date('2026-03-31T00:00:00Z');

function evidence(flows: number): Evidence {
  return { kind: 'intra-app', edges: 1, flows, bytes: flows * 100, firstSeen: W0.toISOString(), lastSeen: W1.toISOString(), window: { from: W0.toISOString(), to: W1.toISOString() }, clients: 1, servers: 1, examples: [], periodicity: { continuous: 1 }, inferredLabels: [], explanation: 'test' };
}

function proposal(from: Selector, to: Selector, ports: PortSpec[], app: string, flows = 10): Proposal {
  const d = { from, to, ports };
  return { ...d, key: proposalKey(d), kind: 'intra-app', application: app, owner: app, intent: `${app} traffic`, evidence: evidence(flows) };
}

const set = (rules: Proposal[]): ProposalSet => ({
  window: { from: W0, to: W1 },
  options: { granularity: 'role', ports: 'exact', coverThreshold: 0.5, rangeGap: 10 },
  rules,
  skipped: { scannerEdges: 0, transit: 0, unsupportedProtocol: [] },
  scanners: { workloads: [], addresses: [] },
});

const web = { labels: { app: 'shop', role: 'web' } };
const api = { labels: { app: 'shop', role: 'api' } };
const db = { labels: { app: 'shop', role: 'db' } };

describe.each(providers)('policy workflow on %s', (name, make) => {
  const skip = name === 'PostgreSQL' && !pgUrl();
  if (skip) console.warn(`PostgreSQL cases not run: ${pgSkipReason()}`);

  async function withDb(fn: (p: Db) => Promise<void>) {
    const d = await openDatabase(await make());
    try {
      await fn(d.prisma);
    } finally {
      await d.close();
    }
  }

  it.skipIf(skip)('re-proposing updates instead of duplicating, supersedes what is no longer proposed, and never changes an approved rule', () =>
    withDb(async (p) => {
      const webApi = proposal(web, api, parsePortsText('tcp/8080'), 'shop');
      const apiDb = proposal(api, db, parsePortsText('tcp/5432'), 'shop');
      const s1 = await saveProposals(p, set([webApi, apiDb]), alice);
      expect(s1).toMatchObject({ created: 2, proposed: 2 });
      expect((await p.application.findUnique({ where: { name: 'shop' } }))?.confirmed).toBe(false);

      // same run again: nothing new; new evidence: updated, not duplicated
      expect(await saveProposals(p, set([webApi, apiDb]), alice)).toMatchObject({ created: 0, unchanged: 2 });
      expect(await saveProposals(p, set([{ ...webApi, evidence: evidence(99) }, apiDb]), alice)).toMatchObject({ created: 0, updated: 1 });
      expect((await listRules(p)).length).toBe(2);

      // approve api -> db; then discovery sees tcp/5433 too: the approved rule stays, the new port is a new proposal
      const apiDbRule = (await listRules(p)).find((r) => r.proposalKey === apiDb.key)!;
      await approveRules(p, [apiDbRule.id], alice, { comment: 'fine' });
      const wider = proposal(api, db, parsePortsText('tcp/5432 tcp/5433'), 'shop');
      const s3 = await saveProposals(p, set([webApi, wider]), alice);
      expect(s3).toMatchObject({ created: 1, trimmed: 1 });
      const after = await findRule(p, apiDbRule.id);
      expect(after.status).toBe('approved');
      expect(after.ports).toEqual(parsePortsText('tcp/5432'));
      const extra = (await listRules(p, { status: 'proposed' })).find((r) => r.ports.some((x) => x.port === 5433))!;
      expect(extra.ports).toEqual(parsePortsText('tcp/5433'));
      expect(extra.intent).toMatch(/tcp\/5433 beyond the approved rule/);

      // a run that no longer proposes web -> api supersedes it; proposing it again reopens it
      const s4 = await saveProposals(p, set([wider]), alice);
      expect(s4.superseded).toBe(1);
      const webApiRule = (await listRules(p, { status: 'superseded' }))[0]!;
      expect(webApiRule.proposalKey).toBe(webApi.key);
      expect(await saveProposals(p, set([webApi, wider]), alice)).toMatchObject({ reopened: 1 });
      expect((await findRule(p, webApiRule.id)).status).toBe('proposed');
      expect((await ruleHistory(p, webApiRule.id)).map((h) => h.action)).toEqual(['propose', 'supersede', 'reopen']);

      // rejected stays rejected; a person's edit stands
      await rejectRules(p, [extra.id], alice, { comment: 'the replica port is not used by the app' });
      expect(await saveProposals(p, set([webApi, wider]), alice)).toMatchObject({ keptRejected: 1, created: 0 });
      await narrowRule(p, webApiRule.id, { intent: 'storefront web calls its api' }, alice, { comment: 'clearer intent' });
      expect(await saveProposals(p, set([webApi, wider]), alice)).toMatchObject({ keptEdited: 1 });
      expect((await findRule(p, webApiRule.id)).intent).toBe('storefront web calls its api');

      const runs = await queryAudit(p, { action: 'rule.create' });
      expect(runs.events.length).toBe(8);
      expect(runs.events[0]!.actor.name).toBe('alice@example.com');
    }),
  );

  it.skipIf(skip)('records approvals, rejections and narrowing with who, when, before/after and why; narrowing an approved rule only narrows', () =>
    withDb(async (p) => {
      const { created } = await createRules(
        p,
        [
          { from: web, to: api, ports: parsePortsText('tcp/8080 tcp/8443'), intent: 'web to api', owner: 'shop', application: 'shop' },
          { from: api, to: db, ports: parsePortsText('tcp/5432'), intent: 'api to db', owner: 'shop', application: 'shop' },
        ],
        alice,
        { origin: 'manual' },
      );
      const [a, b] = created;
      const out = await approveRules(p, [a!.id], alice, { comment: 'reviewed with the shop team' });
      expect(out).toMatchObject([{ outcome: 'approved', fromStatus: 'proposed', toStatus: 'approved' }]);
      expect((await approveRules(p, [a!.id], alice))[0]!.outcome).toBe('unchanged');

      await expect(narrowRule(p, a!.id, { ports: parsePortsText('tcp/8080-8443') }, alice, { comment: 'wider' })).rejects.toThrow(/would let more through/);
      await expect(narrowRule(p, a!.id, { ports: parsePortsText('tcp/8080') }, alice, { comment: '' })).rejects.toThrow(PolicyError);
      const n = await narrowRule(p, a!.id, { ports: parsePortsText('tcp/8080'), from: { labels: { app: 'shop', role: 'web', env: 'prod' } } }, alice, { comment: '8443 is the old API' });
      expect(n).toMatchObject({ outcome: 'narrowed', toStatus: 'approved' });
      // a proposal may change in any way (it still needs approval)
      expect((await narrowRule(p, b!.id, { ports: parsePortsText('tcp/5432-5440') }, alice, { comment: 'pool of replicas' })).outcome).toBe('edited');

      await expect(rejectRules(p, [b!.id], alice, { comment: ' ' })).rejects.toThrow(/say why/);
      await rejectRules(p, [b!.id], alice, { comment: 'the api reads through the cache' });

      const h = await ruleHistory(p, a!.id);
      expect(h.map((x) => x.action)).toEqual(['create', 'approve', 'narrow']);
      expect(h[2]).toMatchObject({ actor: 'alice@example.com', comment: '8443 is the old API', fromStatus: 'approved', toStatus: 'approved' });
      expect((h[2]!.before as { ports: PortSpec[] }).ports).toEqual(parsePortsText('tcp/8080 tcp/8443'));
      expect((h[2]!.after as { ports: PortSpec[] }).ports).toEqual(parsePortsText('tcp/8080'));

      const log = (await queryAudit(p, { action: 'rule.' })).events.map((e) => `${e.action} ${e.target?.id === a!.id ? 'a' : 'b'}`);
      expect(log).toEqual(['rule.reject b', 'rule.change b', 'rule.change a', 'rule.approve a', 'rule.create b', 'rule.create a']);
      const change = (await queryAudit(p, { action: 'rule.change', targetId: a!.id })).events[0]!;
      expect(change).toMatchObject({ actor: { name: 'alice@example.com' }, via: 'cli', summary: expect.stringContaining('8443 is the old API') });
      expect(change.before).toMatchObject({ status: 'approved' });
    }),
  );

  it.skipIf(skip)('approves temporary exceptions that expire into the expired status, recorded as the system', () =>
    withDb(async (p) => {
      const { created } = await createRules(p, [{ from: web, to: db, ports: parsePortsText('tcp/5432'), intent: 'migration', owner: 'shop' }], alice, { origin: 'manual' });
      const id = created[0]!.id;
      await expect(approveRules(p, [id], alice, { expires: new Date('2020-01-01T00:00:00Z') })).rejects.toThrow(/not in the future/);
      const until = new Date(Date.now() + 60_000);
      await approveRules(p, [id], alice, { expires: until, comment: 'until the migration is done' });
      expect((await policyRules(p, 'approved')).map((r) => r.id)).toEqual([id]);
      expect(await expireRules(p)).toEqual([]);
      const later = new Date(until.getTime() + 1000);
      expect((await policyRules(p, 'approved', later)).length).toBe(0);
      const expired = await expireRules(p, later);
      expect(expired.map((r) => r.status)).toEqual(['expired']);
      expect((await findRule(p, id)).status).toBe('expired');
      const ev = (await queryAudit(p, { action: 'rule.expire' })).events[0]!;
      expect(ev.actor).toMatchObject({ type: 'system', name: 'bulkhead (expiry)' });
    }),
  );

  it.skipIf(skip)('keeps baselines as immutable versions, with a diff between them', () =>
    withDb(async (p) => {
      const view = makeView([
        { id: 'w1', name: 'web-1', labels: { app: 'shop', role: 'web' }, suggested: [], addresses: ['10.0.0.1'] },
        { id: 'w2', name: 'api-1', labels: { app: 'shop', role: 'api' }, suggested: [], addresses: ['10.0.0.2'] },
      ]);
      const { created } = await createRules(
        p,
        [
          { from: web, to: api, ports: parsePortsText('tcp/8080'), intent: 'web to api', owner: 'shop', status: 'approved' },
          { from: api, to: db, ports: parsePortsText('tcp/5432'), intent: 'api to db', owner: 'shop', status: 'approved' },
        ],
        alice,
        { origin: 'manual' },
      );
      const v1 = await createBaseline(p, { name: 'shop-prod', note: 'first', rules: await policyRules(p, 'approved'), view }, alice);
      expect(v1).toMatchObject({ version: 1, ruleCount: 2 });
      await narrowRule(p, created[0]!.id, { ports: parsePortsText('tcp/8080'), from: { labels: { app: 'shop', role: 'web', env: 'prod' } } }, alice, { comment: 'prod only' });
      await rejectRules(p, [created[1]!.id], alice, { comment: 'gone' });
      await createRules(p, [{ from: api, to: { cidr: '198.51.100.10/32' }, ports: parsePortsText('tcp/443'), intent: 'payments', owner: 'shop', status: 'approved' }], alice, { origin: 'manual' });
      const view2 = makeView([...view.workloads.map((w) => (w.id === 'w2' ? { ...w, labels: { ...w.labels, env: 'prod' } } : w)), { id: 'w3', name: 'db-1', labels: { app: 'shop', role: 'db' }, suggested: [], addresses: ['10.0.0.3'] }]);
      const v2 = await createBaseline(p, { name: 'shop-prod', rules: await policyRules(p, 'approved'), view: view2 }, alice);
      expect(v2.version).toBe(2);
      await expect(createBaseline(p, { name: 'bad name!', rules: [], view }, alice)).rejects.toThrow(PolicyError);

      // the stored version 1 is what it was
      const again = await getBaseline(p, 'shop-prod@1');
      expect(again.doc.rules.map((r) => r.id).sort()).toEqual(created.map((r) => r.id).sort());
      expect((await getBaseline(p, 'shop-prod')).version).toBe(2);
      expect((await listBaselines(p)).map((b) => `${b.name}@${b.version}`)).toEqual(['shop-prod@2', 'shop-prod@1']);

      const d = diffBaselines(again.doc, v2.doc);
      expect(d.added.map((r) => r.intent)).toEqual(['payments']);
      expect(d.removed.map((r) => r.intent)).toEqual(['api to db']);
      expect(d.changed).toEqual([expect.objectContaining({ id: created[0]!.id, fields: ['from'] })]);
      expect(d.workloads).toMatchObject({ added: ['db-1'], removed: [], relabelled: [{ name: 'api-1' }] });
      expect((await queryAudit(p, { action: 'baseline.create' })).events.map((e) => e.summary)).toEqual([
        'created baseline shop-prod v2 with 2 approved rules',
        'created baseline shop-prod v1 with 2 approved rules (first)',
      ]);
    }),
  );
});
