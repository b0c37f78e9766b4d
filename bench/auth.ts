// What accounts cost: a password hash (each sign-in pays one verification), and the per-request
// price of authentication on the JSON API (session cookie or API token: one indexed lookup by
// the secret's SHA-256) through apiRoute, against the same trivial handler without it. Median
// over runs; writes bench/results/auth-<time>.json.
//
//   npm run bench -- auth --runs 5 --requests 2000
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NextRequest } from 'next/server';
import { apiRoute } from '../app/api/_lib/route';
import { hashPassword, verifyPassword } from '../lib/auth/password';
import { createSession, resolveSession } from '../lib/auth/sessions';
import { createApiToken, resolveApiToken } from '../lib/auth/tokens';
import { createUser } from '../lib/auth/users';
import { loadConfig } from '../lib/config';
import { openRuntime, shareRuntime } from '../lib/runtime';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, requests: { type: 'string', default: '2000' }, hashes: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const N = Number(values.requests);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const home = mkdtempSync(join(tmpdir(), 'bulkhead-bench-auth-'));
const config = loadConfig({ env: { BULKHEAD_LOG_LEVEL: 'silent' }, overrides: { home } });
const rt = await openRuntime(config);
shareRuntime(rt);
const db = rt.db.prisma;
const user = await createUser(db, { email: 'bench@example.com', role: 'architect' });
const session = await createSession(db, config, user.id, { method: 'password' });
const { token } = await createApiToken(db, { userId: user.id, name: 'bench', maxRole: 'admin' });

const bare = async () => Response.json({ ok: true });
const guarded = apiRoute({ permission: 'map:read' }, async () => ({ ok: true }));
const request = (headers: Record<string, string>) => new NextRequest('http://127.0.0.1/api/v1/bench', { headers });
const params = { params: Promise.resolve({}) };

async function perRequestMs(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  return (performance.now() - t0) / N;
}

const results: Array<Record<string, number>> = [];
for (let run = 1; run <= runs; run++) {
  const hashMs: number[] = [];
  let stored = '';
  for (let i = 0; i < Number(values.hashes); i++) {
    const t0 = performance.now();
    stored = await hashPassword('correct horse battery staple');
    hashMs.push(performance.now() - t0);
  }
  const t1 = performance.now();
  await verifyPassword('correct horse battery staple', stored);
  const verifyMs = performance.now() - t1;
  const r = {
    run,
    hashMs: round(median(hashMs), 1),
    verifyMs: round(verifyMs, 1),
    resolveSessionMs: round(await perRequestMs(() => resolveSession(db, config, session.token))),
    resolveTokenMs: round(await perRequestMs(() => resolveApiToken(db, token))),
    bareHandlerMs: round(await perRequestMs(() => bare())),
    apiRouteSessionMs: round(await perRequestMs(() => guarded(request({ cookie: `bulkhead_session=${session.token}` }), params))),
    apiRouteTokenMs: round(await perRequestMs(() => guarded(request({ authorization: `Bearer ${token}` }), params))),
  };
  results.push(r);
  console.log(JSON.stringify(r));
}
const summary = {
  date: new Date().toISOString(),
  load: loadavg().map((x) => round(x, 2)),
  requests: N,
  median: Object.fromEntries(Object.keys(results[0]!).filter((k) => k !== 'run').map((k) => [k, median(results.map((r) => r[k]!))])),
  results,
};
console.log(`median of ${runs} runs: ${JSON.stringify(summary.median)} (load ${summary.load.join(' ')})`);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', `auth-${summary.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
await rt.close();
