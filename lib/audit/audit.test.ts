// The audit log on both relational stores: what is recorded, how it is read and exported, and
// that the database itself refuses to change or delete an event.
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createPgDatabase, pgSkipReason, pgUrl } from '../../test/support';
import type { DatabaseConfig } from '../config';
import { openDatabase } from '../db';
import { localOperator } from '../auth/principal';
import { audit, exportAuditJsonl, MAX_JSON_BYTES, queryAudit } from './index';

const providers: Array<[string, () => Promise<DatabaseConfig>]> = [
  ['SQLite', async () => ({ provider: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'bulkhead-audit-')), 'state.db') })],
  ['PostgreSQL', async () => ({ provider: 'postgresql', url: await createPgDatabase() })],
];

const alice = { type: 'user' as const, id: 'u1', userId: 'u1', name: 'alice@example.com', role: 'architect' as const };

describe.each(providers)('audit log on %s', (name, make) => {
  const skip = name === 'PostgreSQL' && !pgUrl();
  if (skip) console.warn(`PostgreSQL cases not run: ${pgSkipReason()}`);

  it.skipIf(skip)('records who, what, when, from where; reads newest first with filters and cursors; exports JSON lines oldest first', async () => {
    const db = await openDatabase(await make());
    const p = db.prisma;
    try {
      await audit(p, { actor: { type: 'anonymous', name: 'mallory@example.com' }, action: 'auth.signin', outcome: 'failed', summary: 'sign-in failed: wrong-password', ip: '192.0.2.7', userAgent: 'curl/8', via: 'web' });
      await audit(p, { actor: alice, action: 'auth.signin', target: { type: 'session', id: 's1' }, ip: '192.0.2.8', via: 'web' });
      await audit(p, { actor: alice, action: 'rule.approve', target: { type: 'rule', id: 'r1' }, before: { status: 'proposed' }, after: { status: 'approved' }, via: 'web' });
      await audit(p, { actor: { ...alice, type: 'token', tokenId: 't1', tokenName: 'ci export' }, action: 'policy.export', target: { type: 'baseline', id: 'b1' }, via: 'api' });
      await audit(p, { actor: localOperator(), action: 'user.create', target: { type: 'user', id: 'u2' }, via: 'cli' });

      const all = await queryAudit(p);
      expect(all.events.map((e) => e.action)).toEqual(['user.create', 'policy.export', 'rule.approve', 'auth.signin', 'auth.signin']);
      const approve = all.events[2]!;
      expect(approve).toMatchObject({ actor: { id: 'u1', name: 'alice@example.com', type: 'user', role: 'architect' }, target: { type: 'rule', id: 'r1' }, before: { status: 'proposed' }, after: { status: 'approved' }, outcome: 'ok', via: 'web' });
      expect(all.events[1]!.actor).toMatchObject({ id: 'u1', type: 'token', name: 'alice@example.com (token "ci export")' });
      expect(all.events[0]!.actor).toMatchObject({ id: 'local', type: 'local', role: 'admin', name: 'local operator' });
      expect(all.events[4]).toMatchObject({ actor: { type: 'anonymous', name: 'mallory@example.com' }, outcome: 'failed', ip: '192.0.2.7', userAgent: 'curl/8' });

      expect((await queryAudit(p, { action: 'auth.' })).events).toHaveLength(2);
      expect((await queryAudit(p, { outcome: 'failed' })).events.map((e) => e.ip)).toEqual(['192.0.2.7']);
      expect((await queryAudit(p, { actorId: 'u1' })).events).toHaveLength(3);
      expect((await queryAudit(p, { actor: 'mallory' })).events).toHaveLength(1);
      expect((await queryAudit(p, { targetType: 'rule', targetId: 'r1' })).events).toHaveLength(1);

      // Pages of two follow each other without gaps or repeats.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof queryAudit>> = await queryAudit(p, {}, { limit: 2, cursor });
        seen.push(...page.events.map((e) => e.id));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual(all.events.map((e) => e.id));

      const lines: string[] = [];
      for await (const l of exportAuditJsonl(p, {}, 2)) lines.push(l);
      expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
      const exported = lines.map((l) => JSON.parse(l));
      expect(exported.map((e) => e.id)).toEqual([...seen].reverse());
      expect(exported[2]).toEqual(approve);
    } finally {
      await db.close();
    }
  });

  it.skipIf(skip)('keeps large before/after values as size and digest, and refuses malformed action names', async () => {
    const db = await openDatabase(await make());
    try {
      const big = { rules: 'x'.repeat(MAX_JSON_BYTES + 10) };
      const e = await audit(db.prisma, { actor: alice, action: 'policy.export', after: big });
      expect(e.after).toMatchObject({ truncated: true, bytes: MAX_JSON_BYTES + 22 });
      expect((e.after as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
      await expect(audit(db.prisma, { actor: alice, action: 'Approve Rule' })).rejects.toThrow('area.verb');
    } finally {
      await db.close();
    }
  });

  it.skipIf(skip)('is append-only in the database: updates and deletes are refused, whatever the client', async () => {
    const db = await openDatabase(await make());
    const p = db.prisma;
    try {
      const e = await audit(p, { actor: alice, action: 'rule.approve', target: { type: 'rule', id: 'r9' } });
      // (Prisma's SQLite adapter reports a trigger's abort as a constraint violation; raw SQL shows the trigger's message.)
      await expect(p.auditEvent.update({ where: { id: e.id }, data: { actorName: 'someone else' } })).rejects.toThrow();
      await expect(p.auditEvent.delete({ where: { id: e.id } })).rejects.toThrow();
      await expect(p.$executeRawUnsafe('UPDATE "AuditEvent" SET "outcome" = \'ok\'')).rejects.toThrow(/append-only/);
      await expect(p.$executeRawUnsafe('DELETE FROM "AuditEvent"')).rejects.toThrow(/append-only/);
      if (name === 'PostgreSQL') await expect(p.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
      expect((await p.auditEvent.findUniqueOrThrow({ where: { id: e.id } })).actorName).toBe('alice@example.com');
    } finally {
      await db.close();
    }
  });
});
