// GET /api/v1/health: whether the stores of this server answer. Public, for load balancers and
// probes that carry no credentials: anonymous callers learn only ok / not ok (200 / 503);
// signed-in callers (session or API token) get versions, latencies and counts.
import { NextResponse } from 'next/server';
import { clickhouseStatus, databaseStatus } from '../../../../lib/status';
import { VERSION } from '../../../../lib/version';
import { publicApiRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = publicApiRoute(async ({ rt, principal }) => {
  const [clickhouse, database] = await Promise.all([clickhouseStatus(rt.store), databaseStatus(rt.db)]);
  const ok = clickhouse.ok && database.ok;
  const body = principal ? { ok, version: VERSION, pid: process.pid, clickhouse, database } : { ok };
  return NextResponse.json(body, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
