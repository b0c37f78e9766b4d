// Accounts on a real SQLite store: passwords, users, sessions, API tokens, throttling, sign-in
// and app ownership, as the web app and the CLI use them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { queryAudit } from '../audit';
import type { Config } from '../config';
import { openDatabase, type Database, type Db } from '../db';
import { authenticate } from './authenticate';
import { applicationScope, mayActOnApplication, setApplicationOwners } from './ownership';
import { generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password';
import { OWNER_SCOPED, PERMISSION_NAMES, PERMISSIONS, ROLE_ORDER, roleAllows, scopeOf } from './permissions';
import { createSession, csrfMatches, csrfToken, resolveSession } from './sessions';
import { signInWithPassword } from './signin';
import { SignInThrottle } from './throttle';
import { createApiToken, listApiTokens, resolveApiToken, revokeApiToken } from './tokens';
import { checkCredentials, createUser, deleteUser, setPassword, updateUser } from './users';

let config: Config;
let database: Database;
let db: Db;
const PW = 'correct horse battery staple';

beforeAll(async () => {
  config = testConfig();
  database = await openDatabase(config.database);
  db = database.prisma;
});
afterAll(() => database.close());

describe('permissions', () => {
  it('nests the roles: each holds every permission of the roles below it', () => {
    for (let i = 1; i < ROLE_ORDER.length; i++) {
      for (const p of PERMISSION_NAMES) if (roleAllows(ROLE_ORDER[i - 1]!, p)) expect(roleAllows(ROLE_ORDER[i]!, p), `${ROLE_ORDER[i]} ${p}`).toBe(true);
    }
    expect(PERMISSIONS['users:admin']).toEqual(['admin']);
    expect(scopeOf('owner', 'rules:review')).toBe('owned');
    expect(scopeOf('architect', 'rules:review')).toBe('all');
    expect(scopeOf('viewer', 'rules:review')).toBeNull();
    expect(OWNER_SCOPED.every((p) => roleAllows('owner', p))).toBe(true);
  });
});

describe('passwords', () => {
  it('hashes with scrypt and a random salt, verifies, and notices outdated parameters', async () => {
    const h = await hashPassword(PW);
    expect(h).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hashPassword(PW)).not.toBe(h);
    expect(await verifyPassword(PW, h)).toBe(true);
    expect(await verifyPassword(`${PW}!`, h)).toBe(false);
    expect(await verifyPassword(PW, 'not a hash')).toBe(false);
    expect(needsRehash(h)).toBe(false);
    expect(needsRehash(h.replace('ln=15', 'ln=14'))).toBe(true);
  });

  it('asks for length, not composition, and generates strong passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/distinct/);
    expect(passwordProblem('bob.smith-password', 'bob.smith@example.com')).toMatch(/account name/);
    expect(passwordProblem(PW)).toBeNull();
    const g = generatePassword();
    expect(g).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    expect(passwordProblem(g)).toBeNull();
  });
});

describe('users', () => {
  it('creates users with normalized emails, refuses duplicates and bad roles, checks credentials the same way for every failure', async () => {
    const u = await createUser(db, { email: ' Carol@Example.COM ', role: 'architect', password: PW });
    expect(u).toMatchObject({ email: 'carol@example.com', name: 'carol', role: 'architect', disabled: false });
    expect(u.passwordHash).toMatch(/^\$scrypt\$/);
    await expect(createUser(db, { email: 'carol@example.com', role: 'viewer' })).rejects.toThrow('exists already');
    await expect(createUser(db, { email: 'dave@example.com', role: 'root' })).rejects.toThrow('not a role');
    await expect(createUser(db, { email: 'not-an-email', role: 'viewer' })).rejects.toThrow('not an email');
    await expect(createUser(db, { email: 'erin@example.com', role: 'viewer', password: 'short' })).rejects.toThrow('at least 12');

    expect(await checkCredentials(db, 'CAROL@example.com', PW)).toMatchObject({ ok: true });
    expect(await checkCredentials(db, 'carol@example.com', 'wrong password!!')).toMatchObject({ ok: false, reason: 'wrong-password' });
    const t0 = performance.now();
    expect(await checkCredentials(db, 'nobody@example.com', PW)).toMatchObject({ ok: false, reason: 'unknown-user' });
    // An unknown account costs a full verification too (no account discovery by timing).
    expect(performance.now() - t0).toBeGreaterThan(20);
    await updateUser(db, 'carol@example.com', { disabled: true });
    expect(await checkCredentials(db, 'carol@example.com', PW)).toMatchObject({ ok: false, reason: 'disabled' });
  });

  it('always keeps one enabled admin', async () => {
    const a = await createUser(db, { email: 'only-admin@example.com', role: 'admin', password: PW });
    const others = await db.user.count({ where: { role: 'admin', disabled: false, id: { not: a.id } } });
    expect(others).toBe(0);
    await expect(updateUser(db, a.id, { role: 'viewer' })).rejects.toThrow('no enabled admin');
    await expect(updateUser(db, a.id, { disabled: true })).rejects.toThrow('no enabled admin');
    await expect(deleteUser(db, a.id)).rejects.toThrow('no enabled admin');
    const b = await createUser(db, { email: 'second-admin@example.com', role: 'admin' });
    const r = await updateUser(db, a.id, { role: 'architect' });
    expect(r.before.role).toBe('admin');
    expect(r.after.role).toBe('architect');
    await expect(deleteUser(db, b.id)).rejects.toThrow('no enabled admin');
  });
});

describe('sessions', () => {
  it('resolves a session to its user with the current role; ends it at expiry, when idle, when disabled and on password change', async () => {
    const u = await createUser(db, { email: 'sam@example.com', role: 'viewer', password: PW });
    const s = await createSession(db, config, u.id, { ip: '192.0.2.1', userAgent: 'test', method: 'password' });
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db.session.findUniqueOrThrow({ where: { id: s.id } });
    expect(row.tokenHash).not.toContain(s.token);
    const ok = await resolveSession(db, config, s.token);
    expect(ok).toMatchObject({ ok: true, principal: { type: 'user', id: u.id, name: 'sam@example.com', role: 'viewer', sessionId: s.id } });
    await updateUser(db, u.id, { role: 'owner' });
    expect(await resolveSession(db, config, s.token)).toMatchObject({ ok: true, principal: { role: 'owner' } });
    expect(await resolveSession(db, config, 'x'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });

    // idle: the clock moves past the idle limit
    const later = new Date(Date.now() + (config.auth.idleMinutes + 1) * 60_000);
    expect(await resolveSession(db, config, s.token, later)).toEqual({ ok: false, reason: 'idle' });
    expect(await db.session.count({ where: { id: s.id } })).toBe(0);

    // absolute expiry, even when active
    const s2 = await createSession(db, config, u.id, { method: 'password' });
    await db.session.update({ where: { id: s2.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await resolveSession(db, config, s2.token)).toEqual({ ok: false, reason: 'expired' });

    const s3 = await createSession(db, config, u.id, { method: 'password' });
    const s4 = await createSession(db, config, u.id, { method: 'password' });
    await setPassword(db, u.id, 'another long passphrase', s4.id);
    expect((await resolveSession(db, config, s3.token)).ok).toBe(false);
    expect((await resolveSession(db, config, s4.token)).ok).toBe(true);
    await updateUser(db, u.id, { disabled: true });
    expect((await resolveSession(db, config, s4.token)).ok).toBe(false);
  });

  it('binds the CSRF token to the session secret', () => {
    expect(csrfMatches('secret-a', csrfToken('secret-a'))).toBe(true);
    expect(csrfMatches('secret-a', csrfToken('secret-b'))).toBe(false);
    expect(csrfMatches('secret-a', null)).toBe(false);
  });
});

describe('API tokens', () => {
  it('are stored hashed, act with their role but never above their user, and stop when revoked, expired or disabled', async () => {
    const u = await createUser(db, { email: 'robot-owner@example.com', role: 'architect' });
    await expect(createApiToken(db, { userId: u.id, name: 'too strong', role: 'admin', maxRole: 'admin' })).rejects.toThrow('the user is architect');
    await expect(createApiToken(db, { userId: u.id, name: 'above creator', role: 'architect', maxRole: 'viewer' })).rejects.toThrow('yours is viewer');
    const { token, record } = await createApiToken(db, { userId: u.id, name: 'nightly export', role: 'architect', maxRole: 'admin', expiresInDays: 30 });
    expect(token).toMatch(/^bh_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: 'nightly export', prefix: token.slice(0, 10), role: 'architect', state: 'active', user: 'robot-owner@example.com' });
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token.slice(3));

    expect(await resolveApiToken(db, token)).toMatchObject({ ok: true, principal: { type: 'token', id: u.id, role: 'architect', tokenId: record.id, tokenName: 'nightly export' } });
    // The user is demoted: the token follows.
    await updateUser(db, u.id, { role: 'viewer' });
    expect(await resolveApiToken(db, token)).toMatchObject({ ok: true, principal: { role: 'viewer' } });
    await updateUser(db, u.id, { disabled: true });
    expect(await resolveApiToken(db, token)).toMatchObject({ ok: false, reason: 'disabled' });
    await updateUser(db, u.id, { disabled: false });
    await db.apiToken.update({ where: { id: record.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await resolveApiToken(db, token)).toMatchObject({ ok: false, reason: 'expired' });
    await revokeApiToken(db, record.id);
    expect(await resolveApiToken(db, token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await resolveApiToken(db, 'bh_notatoken')).toMatchObject({ ok: false, reason: 'malformed' });
    expect((await listApiTokens(db, { userId: u.id })).length).toBe(0);
    expect((await listApiTokens(db, { userId: u.id, includeRevoked: true }))[0]).toMatchObject({ state: 'revoked' });
  });

  it('bad tokens are refused, audited, and throttled per address', async () => {
    const ip = '198.51.100.77';
    const creds = { authorization: `Bearer bh_${'A'.repeat(43)}`, ip, userAgent: 'scanner' };
    for (let i = 0; i < 20; i++) expect(await authenticate(db, config, creds)).toMatchObject({ kind: 'refused', status: 401 });
    expect(await authenticate(db, config, creds)).toMatchObject({ kind: 'refused', status: 429 });
    const events = await queryAudit(db, { action: 'auth.token', ip });
    expect(events.events).toHaveLength(20);
    expect(events.events[0]).toMatchObject({ outcome: 'failed', userAgent: 'scanner', summary: 'API token refused: unknown' });
    expect(await authenticate(db, config, { authorization: 'Basic abc', ip, userAgent: null })).toMatchObject({ kind: 'refused', status: 401 });
    // a valid token from the same address is not refused because of them
    const admin = await createUser(db, { email: 'next-to-the-scanner@example.com', role: 'admin' });
    const { token } = await createApiToken(db, { userId: admin.id, name: 'ops', role: 'admin', maxRole: 'admin' });
    expect(await authenticate(db, config, { authorization: `Bearer ${token}`, ip, userAgent: 'ops' })).toMatchObject({ kind: 'principal', principal: { name: expect.stringContaining('next-to-the-scanner') } });
  });
});

describe('sign-in', () => {
  it('opens a session and audits it; failures say the same thing whatever the cause and are audited with the real reason', async () => {
    await createUser(db, { email: 'olga@example.com', role: 'owner', password: PW });
    const meta = { ip: '203.0.113.5', userAgent: 'Firefox' };
    const bad = await signInWithPassword(db, config, { email: 'olga@example.com', password: 'wrong password 1', ...meta });
    const unknown = await signInWithPassword(db, config, { email: 'nobody@example.com', password: PW, ...meta });
    expect(bad).toEqual({ ok: false, status: 401, message: 'Wrong email or password.' });
    expect(unknown).toEqual(bad);
    const good = await signInWithPassword(db, config, { email: 'Olga@example.com', password: PW, ...meta });
    expect(good).toMatchObject({ ok: true, user: { email: 'olga@example.com', role: 'owner' } });
    const log = (await queryAudit(db, { action: 'auth.signin', ip: '203.0.113.5' })).events;
    expect(log.map((e) => [e.actor.name, e.outcome, e.summary])).toEqual([
      ['olga@example.com', 'ok', 'signed in with a password (owner)'],
      ['nobody@example.com', 'failed', 'sign-in failed: unknown-user'],
      ['olga@example.com', 'failed', 'sign-in failed: wrong-password'],
    ]);
    expect(log[0]).toMatchObject({ via: 'web', userAgent: 'Firefox', actor: { type: 'user', role: 'owner' } });
  });

  it('throttles brute force: after 5 failures the account is refused from that address, even with the right password', async () => {
    await createUser(db, { email: 'target@example.com', role: 'admin', password: PW });
    const ip = '203.0.113.66';
    for (let i = 0; i < 5; i++) expect(await signInWithPassword(db, config, { email: 'target@example.com', password: `guess number ${i}`, ip, userAgent: null })).toMatchObject({ status: 401 });
    const blocked = await signInWithPassword(db, config, { email: 'target@example.com', password: PW, ip, userAgent: null });
    expect(blocked).toMatchObject({ ok: false, status: 429, message: 'Too many failed sign-ins. Try again in 15 minutes.' });
    expect((blocked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(14 * 60);
    // Another address may still sign in to that account.
    expect(await signInWithPassword(db, config, { email: 'target@example.com', password: PW, ip: '203.0.113.67', userAgent: null })).toMatchObject({ ok: true });
    const denied = (await queryAudit(db, { action: 'auth.signin', outcome: 'denied', ip })).events;
    expect(denied[0]!.summary).toMatch(/throttled \(accountAddress\)/);
  });

  it('does not let a distributed attack lock the owner of an account out from a clean address', async () => {
    await createUser(db, { email: 'popular@example.com', role: 'admin', password: PW });
    const t = new SignInThrottle(db, {
      accountAddress: { points: 5, duration: 60, block: 60 },
      account: { points: 4, duration: 60, block: 60 },
      address: { points: 50, duration: 60, block: 60 },
      token: { points: 20, duration: 60, block: 60 },
    });
    for (let i = 0; i < 4; i++) await t.failed('popular@example.com', `198.51.100.${i + 1}`);
    // the account count is full: addresses that failed on it are refused, a clean one is not
    expect(await t.check('popular@example.com', '198.51.100.1')).toMatchObject({ allowed: false, limit: 'account' });
    expect(await t.check('popular@example.com', '192.0.2.10')).toEqual({ allowed: true });
  });

  it('throttles one address spraying many accounts, and releases after the block', async () => {
    const t = new SignInThrottle(db, {
      accountAddress: { points: 5, duration: 60, block: 60 },
      account: { points: 20, duration: 60, block: 60 },
      address: { points: 3, duration: 60, block: 1 },
      token: { points: 20, duration: 60, block: 60 },
    });
    const ip = '203.0.113.99';
    for (const who of ['a@x.test', 'b@x.test', 'c@x.test']) {
      expect(await t.check(who, ip)).toEqual({ allowed: true });
      await t.failed(who, ip);
    }
    expect(await t.check('d@x.test', ip)).toMatchObject({ allowed: false, limit: 'address' });
    expect(await t.check('d@x.test', '203.0.113.100')).toEqual({ allowed: true });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await t.check('d@x.test', ip)).toEqual({ allowed: true });
  });
});

describe('application ownership', () => {
  it('gives app owners rules:review for their applications only', async () => {
    const owner = await createUser(db, { email: 'pat@example.com', role: 'owner' });
    const arch = await createUser(db, { email: 'archie@example.com', role: 'architect' });
    const pay = await db.application.create({ data: { name: 'payments' } });
    const hr = await db.application.create({ data: { name: 'hr' } });
    expect(await setApplicationOwners(db, pay.id, ['pat@example.com'])).toEqual({ before: [], after: ['pat@example.com'] });
    const p = { type: 'user' as const, id: owner.id, userId: owner.id, name: owner.email, role: 'owner' as const };
    const a = { type: 'user' as const, id: arch.id, userId: arch.id, name: arch.email, role: 'architect' as const };
    expect(await mayActOnApplication(db, p, 'rules:review', pay.id)).toBe(true);
    expect(await mayActOnApplication(db, p, 'rules:review', hr.id)).toBe(false);
    expect(await mayActOnApplication(db, p, 'rules:review', null)).toBe(false);
    expect(await mayActOnApplication(db, p, 'policy:export', pay.id)).toBe(false);
    expect(await mayActOnApplication(db, a, 'rules:review', hr.id)).toBe(true);
    expect(await applicationScope(db, p, 'rules:review')).toEqual([pay.id]);
    expect(await applicationScope(db, a, 'rules:review')).toBe('all');
    await expect(setApplicationOwners(db, pay.id, ['ghost@example.com'])).rejects.toThrow('no user ghost@example.com');
  });
});
