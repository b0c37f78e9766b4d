// The account commands as people run them: the real `bulkhead` in child processes, on its own
// stores, and through a server with API tokens (a CLI on another machine: BULKHEAD_URL +
// BULKHEAD_TOKEN) against the real forwarding endpoint over loopback HTTP.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRoute } from '../test/route-server';
import { testConfig } from '../test/support';
import { POST as forwardedCommand } from '../app/api/v1/cli/route';
import { queryAudit } from '../lib/audit';
import { createApiToken } from '../lib/auth/tokens';
import { createUser } from '../lib/auth/users';
import { CLI_PATH } from '../lib/forwarding';
import { openRuntime, shareRuntime, type Runtime } from '../lib/runtime';
import { commandRunner } from './forwarded';
import { runCli } from './main';

const root = resolve(import.meta.dirname, '..');

function bulkhead(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin/bulkhead.mjs'), ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BULKHEAD_LOG_LEVEL: 'silent', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(stdin ?? '');
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
}

describe('bulkhead users/tokens/audit on the local stores', () => {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-accounts-'));
  const env = { BULKHEAD_HOME: home };

  it('creates the first admin with a generated password, never a default one; refuses bad input with a clear message', async () => {
    const first = await bulkhead(['users', 'add', '--admin', 'Root@Example.com', '--json'], env);
    expect(first.code, first.err).toBe(0);
    const made = JSON.parse(first.out);
    expect(made.user).toMatchObject({ email: 'root@example.com', role: 'admin', hasPassword: true });
    expect(made.password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);

    const stdin = await bulkhead(['users', 'add', 'ann@example.com', '--role', 'owner', '--password-stdin'], env, 'a long typed passphrase\n');
    expect(stdin.code, stdin.err).toBe(0);
    expect(stdin.out).toContain('Created ann@example.com (owner).');
    expect(stdin.out).not.toContain('Password');

    const dup = await bulkhead(['users', 'add', 'ann@example.com', '--role', 'viewer'], env);
    expect(dup).toMatchObject({ code: 1 });
    expect(dup.err).toContain('a user ann@example.com exists already');
    const noRole = await bulkhead(['users', 'add', 'bo@example.com'], env);
    expect(noRole.err).toContain('give --role');
    const lastAdmin = await bulkhead(['users', 'set', 'root@example.com', '--role', 'viewer'], env);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.err).toContain('would leave no enabled admin');

    const list = await bulkhead(['users', 'list', '--json'], env);
    expect(JSON.parse(list.out).map((u: { email: string; role: string }) => `${u.email}:${u.role}`)).toEqual(['ann@example.com:owner', 'root@example.com:admin']);

    const log = await bulkhead(['audit', 'export', '--action', 'user.'], env);
    expect(log.code, log.err).toBe(0);
    const events = log.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.summary)).toEqual(['created root@example.com (admin)', 'created ann@example.com (owner)']);
    expect(events[0]).toMatchObject({ actor: { type: 'local', role: 'admin' }, via: 'cli', outcome: 'ok' });
    expect(events[0].actor.name).toMatch(/^local operator \(.+@.+\)$/);
  }, 120_000);
});

describe('bulkhead through a server with API tokens (remote CLI)', () => {
  let rt: Runtime;
  let server: Awaited<ReturnType<typeof serveRoute>>;
  let url: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    rt = await openRuntime(testConfig());
    const db = rt.db.prisma;
    for (const role of ['admin', 'viewer'] as const) {
      const u = await createUser(db, { email: `${role}@remote.test`, role });
      tokens[role] = (await createApiToken(db, { userId: u.id, name: `${role} laptop`, role, maxRole: 'admin' })).token;
    }
    // as `bulkhead serve` sets it up: the runner on the shared runtime, the endpoint over HTTP
    shareRuntime(rt);
    rt.commands = { run: commandRunner(runCli, rt), secret: 'local-secret-of-this-test-server-0123456789' };
    server = await serveRoute(CLI_PATH, forwardedCommand);
    url = server.url;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rt?.close();
  });

  const remote = (token: string, args: string[], stdin?: string) => bulkhead(args, { BULKHEAD_HOME: mkdtempSync(join(tmpdir(), 'bulkhead-remote-')), BULKHEAD_URL: url, BULKHEAD_TOKEN: token }, stdin);

  it('runs a command with the token\'s role and audits it as that user, through the CLI, from the client\'s address', async () => {
    const r = await remote(tokens.admin!, ['users', 'add', 'new@remote.test', '--role', 'architect', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).user).toMatchObject({ email: 'new@remote.test', role: 'architect' });
    const ev = (await queryAudit(rt.db.prisma, { action: 'user.create' })).events[0]!;
    expect(ev).toMatchObject({ actor: { type: 'token', role: 'admin', name: 'admin@remote.test (token "admin laptop")' }, via: 'cli', ip: '127.0.0.1', summary: 'created new@remote.test (architect)' });
  }, 60_000);

  it('refuses what the token\'s role does not hold, and audits the refusal', async () => {
    const r = await remote(tokens.viewer!, ['users', 'list']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('viewer@remote.test (viewer) may not do this: it needs users:admin');
    const denied = (await queryAudit(rt.db.prisma, { action: 'auth.denied', actor: 'viewer@remote.test' })).events;
    expect(denied[0]).toMatchObject({ outcome: 'denied', via: 'cli', target: { type: 'command', id: 'users' } });

    // A viewer manages their own tokens, not anyone else's.
    const own = await remote(tokens.viewer!, ['tokens', 'create', 'second', '--json']);
    expect(own.code, own.err).toBe(0);
    expect(JSON.parse(own.out).record).toMatchObject({ user: 'viewer@remote.test', role: 'viewer' });
    const other = await remote(tokens.viewer!, ['tokens', 'list', '--user', 'admin@remote.test']);
    expect(other.code).toBe(3);
    const higher = await remote(tokens.viewer!, ['tokens', 'create', 'escalate', '--role', 'admin']);
    expect(higher.code).toBe(1);
    expect(higher.err).toContain('the user is viewer');
  }, 60_000);

  it('refuses a bad token with a clear message, and a missing one before sending anything', async () => {
    const bad = await remote(`bh_${'x'.repeat(43)}`, ['users', 'list']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('refused the command: 401 the API token is not valid');
    const none = await bulkhead(['users', 'list'], { BULKHEAD_HOME: mkdtempSync(join(tmpdir(), 'bulkhead-remote-')), BULKHEAD_URL: url });
    expect(none.err).toContain('BULKHEAD_TOKEN is not');
  }, 60_000);

  it('reads --password-stdin on the client and sends it along', async () => {
    const r = await remote(tokens.admin!, ['users', 'passwd', 'new@remote.test', '--password-stdin'], 'typed on the laptop 42\n');
    expect(r.code, r.err).toBe(0);
    const { checkCredentials } = await import('../lib/auth/users');
    expect(await checkCredentials(rt.db.prisma, 'new@remote.test', 'typed on the laptop 42')).toMatchObject({ ok: true });
  }, 60_000);
});
