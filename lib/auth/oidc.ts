// Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce) through
// openid-client, the certified relying-party library. Sign-in ends in our own server-side
// session (lib/auth/sessions.ts), like a password sign-in: sessions stay revocable at once.
//
// Accounts: the ID token's subject finds the user; a verified email links an existing user the
// first time; people who sign in for the first time get BULKHEAD_OIDC_DEFAULT_ROLE (or are
// refused when it is "none"). With BULKHEAD_OIDC_ROLE_CLAIM + _ROLE_MAP, the identity provider's
// groups decide the role at every sign-in.
import * as client from 'openid-client';
import type { Config } from '../config';
import type { Db } from '../db';
import { isRole, roleRank, type Role } from './permissions';
import type { UserRow } from './users';

export type OidcConfig = NonNullable<Config['oidc']>;

/** What travels in the short-lived cookie between the redirect to the provider and the callback. */
export interface OidcPending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

/** The provider's configuration, discovered once an hour (a failed discovery is retried next time). */
export function providerConfig(oidc: OidcConfig): Promise<client.Configuration> {
  const key = `${oidc.issuer}|${oidc.clientId}`;
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < 3_600_000) return hit.config;
  const url = new URL(oidc.issuer);
  // Plain HTTP only for a provider on this machine (tests, development); anywhere else it would
  // carry tokens in clear text.
  const insecure = url.protocol === 'http:' && LOOPBACK.test(url.hostname);
  const config = client
    .discovery(url, oidc.clientId, oidc.clientSecret ?? undefined, oidc.clientSecret ? client.ClientSecretBasic(oidc.clientSecret) : client.None(), insecure ? { execute: [client.allowInsecureRequests] } : undefined)
    .catch((e: unknown) => {
      discovered.delete(key);
      throw new Error(`OpenID Connect discovery at ${oidc.issuer} failed: ${(e as Error).message}`);
    });
  discovered.set(key, { at: Date.now(), config });
  return config;
}

/** Where the provider sends people back: BULKHEAD_PUBLIC_URL, else the address the browser used. */
export function redirectUri(config: Pick<Config, 'auth'>, requestOrigin: string): string {
  return `${config.auth.publicUrl ?? requestOrigin}/auth/oidc/callback`;
}

export async function startSignIn(oidc: OidcConfig, redirect: string, next: string): Promise<{ url: URL; pending: OidcPending }> {
  const cfg = await providerConfig(oidc);
  const pending: OidcPending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next };
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: redirect,
    scope: oidc.scopes.join(' '),
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

export interface OidcIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** the role the provider's groups map to, when a role claim is configured and matches */
  mappedRole: Role | null;
  claims: Record<string, unknown>;
}

/** Exchange the code (checking state, nonce, PKCE and the ID token) for who signed in. */
export async function finishSignIn(oidc: OidcConfig, callbackUrl: URL, pending: OidcPending): Promise<OidcIdentity> {
  const cfg = await providerConfig(oidc);
  const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
  const claims = (tokens.claims() ?? {}) as Record<string, unknown>;
  return {
    subject: String(claims.sub),
    email: typeof claims.email === 'string' ? claims.email.toLowerCase() : null,
    emailVerified: claims.email_verified === true,
    name: typeof claims.name === 'string' ? claims.name : null,
    mappedRole: mapRole(oidc, claims),
    claims,
  };
}

/** The highest role any of the user's groups maps to (BULKHEAD_OIDC_ROLE_MAP), or null. */
export function mapRole(oidc: OidcConfig, claims: Record<string, unknown>): Role | null {
  if (!oidc.roleClaim) return null;
  const raw = claims[oidc.roleClaim];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  let best: Role | null = null;
  for (const g of groups) {
    const r = oidc.roleMap[g] ?? (isRole(g) && Object.keys(oidc.roleMap).length === 0 ? g : undefined);
    if (r && (best === null || roleRank(r) > roleRank(best))) best = r;
  }
  return best;
}

export type Provisioned =
  | { ok: true; user: UserRow; created: boolean; linked: boolean; roleChanged: { from: string; to: string } | null }
  | { ok: false; reason: 'no-account' | 'disabled' | 'no-email' | 'email-taken' };

/** Find, link or create the Bulkhead user of an OpenID identity. */
export async function provisionUser(db: Db, oidc: OidcConfig, id: OidcIdentity): Promise<Provisioned> {
  let user = await db.user.findUnique({ where: { oidcSubject: id.subject } });
  let linked = false;
  let created = false;
  if (!user && id.email && id.emailVerified) {
    const byEmail = await db.user.findUnique({ where: { email: id.email } });
    if (byEmail && byEmail.oidcSubject) return { ok: false, reason: 'email-taken' };
    if (byEmail) {
      user = await db.user.update({ where: { id: byEmail.id }, data: { oidcSubject: id.subject } });
      linked = true;
    }
  }
  if (!user) {
    const role = oidc.roleClaim ? (id.mappedRole ?? oidc.defaultRole) : oidc.defaultRole;
    if (!role) return { ok: false, reason: 'no-account' };
    if (!id.email || !id.emailVerified) return { ok: false, reason: 'no-email' };
    user = await db.user.create({ data: { email: id.email, name: id.name ?? id.email.split('@')[0]!, role, oidcSubject: id.subject } });
    created = true;
  }
  if (user.disabled) return { ok: false, reason: 'disabled' };
  let roleChanged: { from: string; to: string } | null = null;
  if (!created && oidc.roleClaim) {
    // The provider's groups decide: a user who lost every mapped group falls back to the default role.
    const want = id.mappedRole ?? oidc.defaultRole;
    if (!want) return { ok: false, reason: 'no-account' };
    if (want !== user.role) {
      roleChanged = { from: user.role, to: want };
      user = await db.user.update({ where: { id: user.id }, data: { role: want } });
    }
  }
  return { ok: true, user, created, linked, roleChanged };
}
