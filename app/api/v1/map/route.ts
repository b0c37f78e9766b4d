// GET /api/v1/map: the dependency map of a window for the map page, in the compact wire form of
// lib/read/map.ts (MapWire): a large estate's map is megabytes of JSON, and the web server
// in front of Next.js (cli/web.ts) does not compress answers (Next.js drops a Content-Encoding a
// route handler sets, so the route cannot gzip it itself).
// While the window's analysis runs it answers 202 with the progress; the page asks again.
import { NextResponse } from 'next/server';
import { analysisFor } from '../../../../lib/read/analysis';
import { encodeMap, toMapData } from '../../../../lib/read/map';
import { enforcementStates } from '../../../../lib/policy/enforcement';
import { apiRoute } from '../../_lib/route';
import { windowQuery, windowOf } from '../../../_data/window';


export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, async ({ rt, query }) => {
  const s = await analysisFor(rt, windowOf(query));
  if (!s.ready) return NextResponse.json({ status: 'running', progress: s.progress }, { status: 202 });
  return encodeMap(toMapData(s.result, await enforcementStates(rt.db.prisma)));
});
