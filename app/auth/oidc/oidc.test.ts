// Single sign-on against a real OpenID provider (panva's oidc-provider, certified, on loopback):
// the authorization code flow with PKCE through our /auth/oidc/start and /auth/oidc/callback
// route handlers, with account provisioning, role mapping from groups, and audit.
import { createServer, type Server } from 'node:http';
import { NextRequest } from 'next/server';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support';
import { queryAudit } from '../../../lib/audit';
import { mapRole, provisionUser, type OidcConfig } from '../../../lib/auth/oidc';
import { resolveSession } from '../../../lib/auth/sessions';
import { createUser, updateUser } from '../../../lib/auth/users';
import { openRuntime, shareRuntime, type Runtime } from '../../../lib/runtime';
import { GET as callback } from './callback/route';
import { GET as start } from './start/route';

const APP = 'http://127.0.0.1:3000';
const accounts: Record<string, { email: string; email_verified: boolean; name: string; groups: string[] }> = {
  'sub-alice': { email: 'alice@corp.example', email_verified: true, name: 'Alice', groups: ['netsec', 'everyone'] },
  'sub-bob': { email: 'bob@corp.example', email_verified: true, name: 'Bob', groups: ['app-owners'] },
  'sub-eve': { email: 'eve@corp.example', email_verified: false, name: 'Eve', groups: ['netsec'] },
  'sub-dan': { email: 'dan@corp.example', email_verified: true, name: 'Dan', groups: [] },
};
let signingInAs = 'sub-alice';
let idp: Server;
let issuer: string;
let rt: Runtime;

beforeAll(async () => {
  idp = createServer();
  await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', ok));
  const addr = idp.address();
  issuer = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'bulkhead', client_secret: 'a-client-secret-for-the-test-only', redirect_uris: [`${APP}/auth/oidc/callback`], response_types: ['code'], grant_types: ['authorization_code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // Claims in the ID token (where Bulkhead reads them), not only from the userinfo endpoint.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...accounts[id] }) }),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['cookie-key-for-the-test-only'] },
  });
  const handle = provider.callback();
  // The provider's login and consent screens, answered at once for whoever `signingInAs` names.
  idp.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: signingInAs, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: signingInAs }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });

  rt = await openRuntime(
    testConfig(
      {},
      {
        BULKHEAD_PUBLIC_URL: APP,
        BULKHEAD_OIDC_ISSUER: issuer,
        BULKHEAD_OIDC_CLIENT_ID: 'bulkhead',
        BULKHEAD_OIDC_CLIENT_SECRET: 'a-client-secret-for-the-test-only',
        BULKHEAD_OIDC_ROLE_CLAIM: 'groups',
        BULKHEAD_OIDC_ROLE_MAP: 'netsec=architect,app-owners=owner',
      },
    ),
  );
  shareRuntime(rt);
}, 120_000);

afterAll(async () => {
  idp?.close();
  await rt?.close();
});

/** The browser's side of the round trip at the provider: follow redirects with its cookies until it comes back to us. */
async function throughProvider(authorizeUrl: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(APP)) return url;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${await res.text()}`);
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects at the provider');
}

const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0]!.slice(name.length + 1);

async function signInWithSso(account: string, next = '/audit') {
  signingInAs = account;
  const begin = await start(new NextRequest(`${APP}/auth/oidc/start?next=${encodeURIComponent(next)}`, { headers: { host: '127.0.0.1:3000', 'x-bulkhead-peer': '127.0.0.1' } }));
  expect(begin.status).toBe(303);
  const authorize = new URL(begin.headers.get('location')!);
  expect(authorize.origin).toBe(issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${APP}/auth/oidc/callback`);
  const pending = cookieOf(begin, 'bulkhead_oidc')!;
  const back = await throughProvider(authorize.toString());
  const done = await callback(new NextRequest(back, { headers: { host: '127.0.0.1:3000', cookie: `bulkhead_oidc=${pending}`, 'x-bulkhead-peer': '127.0.0.1', 'user-agent': 'sso-test' } }));
  return { done, back, pending };
}

describe('single sign-on (OpenID Connect)', () => {
  it('signs a new person in, creating the user with the role their groups map to', async () => {
    const { done } = await signInWithSso('sub-alice');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${APP}/audit`);
    const token = cookieOf(done, 'bulkhead_session')!;
    const s = await resolveSession(rt.db.prisma, rt.config, token);
    expect(s).toMatchObject({ ok: true, principal: { name: 'alice@corp.example', role: 'architect' } });
    const user = await rt.db.prisma.user.findUniqueOrThrow({ where: { email: 'alice@corp.example' } });
    expect(user).toMatchObject({ oidcSubject: 'sub-alice', passwordHash: null, name: 'Alice' });
    expect((await rt.db.prisma.session.findFirstOrThrow({ where: { userId: user.id } })).authMethod).toBe('oidc');
    const log = (await queryAudit(rt.db.prisma, { actorId: user.id })).events;
    expect(log[0]).toMatchObject({ action: 'auth.signin', outcome: 'ok', summary: 'signed in with single sign-on (architect)', userAgent: 'sso-test' });
    const created = (await queryAudit(rt.db.prisma, { action: 'user.create', targetId: user.id })).events[0]!;
    expect(created.actor).toMatchObject({ type: 'system' });
  });

  it('links an existing account by verified email, and lets the groups set its role', async () => {
    await createUser(rt.db.prisma, { email: 'bob@corp.example', role: 'viewer', password: 'bob has a long password' });
    const { done } = await signInWithSso('sub-bob', '/');
    expect(done.status).toBe(303);
    const bob = await rt.db.prisma.user.findUniqueOrThrow({ where: { email: 'bob@corp.example' } });
    expect(bob).toMatchObject({ oidcSubject: 'sub-bob', role: 'owner' });
    expect((await queryAudit(rt.db.prisma, { action: 'user.update', targetId: bob.id })).events[0]!.summary).toContain('role viewer -> owner');
  });

  it('refuses unverified emails, disabled users and replayed or foreign callbacks, and audits each', async () => {
    const eve = await signInWithSso('sub-eve');
    expect(eve.done.headers.get('location')).toBe(`${APP}/signin?error=oidc-no-account`);
    expect(await rt.db.prisma.user.count({ where: { email: 'eve@corp.example' } })).toBe(0);

    await updateUser(rt.db.prisma, 'bob@corp.example', { disabled: true });
    const bob = await signInWithSso('sub-bob');
    expect(bob.done.headers.get('location')).toBe(`${APP}/signin?error=oidc-disabled`);

    // The code of one browser's round trip, brought back by another browser (no pending cookie).
    const a = await signInWithSso('sub-alice');
    const replay = await callback(new NextRequest(a.back, { headers: { host: '127.0.0.1:3000' } }));
    expect(replay.headers.get('location')).toBe(`${APP}/signin?error=oidc-failed`);
    // Or with someone else's pending sign-in: the state does not match.
    const other = await start(new NextRequest(`${APP}/auth/oidc/start`, { headers: { host: '127.0.0.1:3000' } }));
    const crossed = await callback(new NextRequest(a.back, { headers: { host: '127.0.0.1:3000', cookie: `bulkhead_oidc=${cookieOf(other, 'bulkhead_oidc')}` } }));
    expect(crossed.headers.get('location')).toBe(`${APP}/signin?error=oidc-failed`);

    const failed = (await queryAudit(rt.db.prisma, { action: 'auth.signin', outcome: 'failed' })).events.map((e) => e.summary);
    expect(failed).toEqual(
      expect.arrayContaining([
        'single sign-on failed: no-email',
        'single sign-on failed: disabled',
        'single sign-on failed: no sign-in in progress in this browser (expired, or started elsewhere)',
        expect.stringMatching(/^single sign-on failed: .*state/),
      ]),
    );
  });

  it('maps groups to the highest role; without a default role, unknown people are refused', async () => {
    const oidc = rt.config.oidc!;
    expect(mapRole(oidc, { groups: ['app-owners', 'netsec'] })).toBe('architect');
    expect(mapRole(oidc, { groups: 'app-owners' })).toBe('owner');
    expect(mapRole(oidc, { groups: ['admins'] })).toBeNull();
    expect(mapRole({ ...oidc, roleMap: {} }, { groups: ['admin'] })).toBe('admin');
    const closed: OidcConfig = { ...oidc, defaultRole: null };
    const dan = { subject: 'sub-dan', email: 'dan@corp.example', emailVerified: true, name: 'Dan', mappedRole: null, claims: {} };
    expect(await provisionUser(rt.db.prisma, closed, dan)).toEqual({ ok: false, reason: 'no-account' });
    expect(await provisionUser(rt.db.prisma, oidc, dan)).toMatchObject({ ok: true, created: true, user: { role: 'viewer' } });
  });
});
