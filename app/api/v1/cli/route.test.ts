// The CLI-forwarding endpoint over real HTTP, with a runner standing in for the CLI: what it
// streams back, who the command runs as, what it refuses, and that a client going away aborts
// the command. (The real CLI through this endpoint: cli/accounts.test.ts.)
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../../lib/auth/tokens';
import { createUser } from '../../../../lib/auth/users';
import { CLI_PATH, type CommandRunner, type ForwardedCommand, type ForwardEvent } from '../../../../lib/forwarding';
import { openRuntime, shareRuntime, type Runtime } from '../../../../lib/runtime';
import { serveRoute } from '../../../../test/route-server';
import { testConfig } from '../../../../test/support';
import { POST } from './route';

const SECRET = 'local-secret-of-the-route-test-0123456789';
let rt: Runtime;
let server: Awaited<ReturnType<typeof serveRoute>>;
let token: string;
const ran: ForwardedCommand[] = [];
let runner: CommandRunner = async () => 0;

beforeAll(async () => {
  // One proxy in front: X-Forwarded-For names the client, and must still not make it local.
  rt = await openRuntime(testConfig({ auth: { trustProxy: 1 } }));
  shareRuntime(rt);
  rt.commands = { secret: SECRET, run: (command, emit) => (ran.push(command), runner(command, emit)) };
  const u = await createUser(rt.db.prisma, { email: 'viewer@cli.test', role: 'viewer' });
  ({ token } = await createApiToken(rt.db.prisma, { userId: u.id, name: 'laptop', role: 'viewer', maxRole: 'admin' }));
  server = await serveRoute(CLI_PATH, POST);
});

afterAll(async () => {
  await server?.close();
  await rt?.close();
});

const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${SECRET}` }, signal?: AbortSignal) =>
  fetch(`${server.url}${CLI_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body), signal });

const events = async (res: Response) => (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as ForwardEvent);

describe('POST /api/v1/cli', () => {
  it('runs the command as the local operator it names and streams its events, ending with the exit code', async () => {
    runner = async (_c, emit) => {
      emit({ t: 'out', s: 'result' });
      emit({ t: 'progress', id: 1, label: 'import', total: 2, unit: 'files', done: 1 });
      emit({ t: 'err', s: 'a message' });
      return 4;
    };
    const res = await post({ argv: ['rules', 'list'], cwd: '/somewhere', operator: 'local operator (ann@laptop)', stdin: 'typed' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    expect(await events(res)).toEqual([
      { t: 'out', s: 'result' },
      { t: 'progress', id: 1, label: 'import', total: 2, unit: 'files', done: 1 },
      { t: 'err', s: 'a message' },
      { t: 'exit', code: 4 },
    ]);
    expect(ran.at(-1)).toMatchObject({ argv: ['rules', 'list'], cwd: '/somewhere', stdin: 'typed', clientIp: '127.0.0.1', actor: { type: 'local', role: 'admin', name: 'local operator (ann@laptop)' } });

    // A name that is not the local operator's is not taken.
    await (await post({ argv: [], cwd: '/', operator: 'admin@example.com' })).text();
    expect(ran.at(-1)!.actor).toMatchObject({ type: 'local', name: 'local operator (through the server)' });
  });

  it("runs a token's command as the token's user", async () => {
    runner = async () => 0;
    const res = await post({ argv: ['users', 'list'], cwd: '/' }, { authorization: `Bearer ${token}` });
    expect(await events(res)).toEqual([{ t: 'exit', code: 0 }]);
    expect(ran.at(-1)!.actor).toMatchObject({ type: 'token', role: 'viewer' });
  });

  it('refuses the secret from a client a proxy says is local, sessions, bad bodies and large ones', async () => {
    const before = ran.length;
    // Through the proxy in front (trusted for one hop), a remote client's X-Forwarded-For says
    // 127.0.0.1: the peer, which serve writes from the socket, decides.
    const viaProxy = new NextRequest(new URL(CLI_PATH, 'http://127.0.0.1:3000'), {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'x-bulkhead-peer': '10.0.0.9', 'x-forwarded-for': '127.0.0.1' },
      body: JSON.stringify({ argv: [], cwd: '/' }),
    });
    const proxied = await POST(viaProxy, { params: Promise.resolve({}) });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).toContain('accepted from this machine only');
    const none = await post({ argv: [], cwd: '/' }, {});
    expect(none.status).toBe(401);
    expect(await none.text()).toMatch(/local secret.*API token/);
    expect((await post({ argv: [], cwd: '/' }, { authorization: 'Bearer not-the-secret' })).status).toBe(401);
    expect((await post({ argv: 'rules list', cwd: '/' })).status).toBe(400);
    const large = await post({ argv: [], cwd: '/', stdin: 'x'.repeat(1 << 20) });
    expect(large.status).toBe(413);
    expect(ran.length).toBe(before);
  });

  it('aborts the command when the client goes away', async () => {
    let aborted: Promise<void> | null = null;
    runner = (c, emit) => {
      aborted = new Promise<void>((done) => c.signal.addEventListener('abort', () => done()));
      emit({ t: 'out', s: 'started' });
      return aborted.then(() => 130);
    };
    const client = new AbortController();
    const res = await post({ argv: ['import'], cwd: '/' }, undefined, client.signal);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('started');
    client.abort();
    await expect(Promise.race([aborted, new Promise((_, no) => setTimeout(() => no(new Error('not aborted')), 5000))])).resolves.toBeUndefined();
  });
});

describe('POST /api/v1/cli without a server that runs commands', () => {
  it('takes no secret, and tells a token holder where commands run', async () => {
    const commands = rt.commands;
    rt.commands = undefined;
    try {
      expect((await post({ argv: [], cwd: '/' })).status).toBe(401);
      const res = await post({ argv: [], cwd: '/' }, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('bulkhead serve');
    } finally {
      rt.commands = commands;
    }
  });
});
