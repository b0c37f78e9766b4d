// GET /api/v1/map: the dependency map of a window (components/data/map.ts), for the map page.
// While the window's analysis runs it answers 202 with the progress; the page asks again.
import { NextResponse } from 'next/server';
import { analysisFor } from '../../../_data/analysis';
import { toMapData } from '../../../_data/map';
import { apiRoute } from '../../_lib/route';
import { windowQuery, windowOf } from '../../../_data/window';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, async ({ rt, query }) => {
  const s = await analysisFor(rt, windowOf(query));
  if (!s.ready) return NextResponse.json({ status: 'running', progress: s.progress }, { status: 202 });
  return toMapData(s.result);
});
