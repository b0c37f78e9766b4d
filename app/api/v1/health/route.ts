// GET /api/v1/health: whether the stores of this server answer (for load balancers and people).
import { NextResponse } from 'next/server';
import { getRuntime } from '../../../../lib/runtime';
import { clickhouseStatus, databaseStatus } from '../../../../lib/status';
import { VERSION } from '../../../../lib/version';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    const rt = await getRuntime();
    const [clickhouse, database] = await Promise.all([clickhouseStatus(rt.store), databaseStatus(rt.db)]);
    const ok = clickhouse.ok && database.ok;
    return NextResponse.json({ ok, version: VERSION, pid: process.pid, clickhouse, database }, { status: ok ? 200 : 503 });
  } catch (e) {
    return NextResponse.json({ ok: false, version: VERSION, error: (e as Error).message }, { status: 503 });
  }
}
