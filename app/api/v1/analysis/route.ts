// GET /api/v1/analysis?window=30d | from=ISO&to=ISO: the discovery analysis of a window in the
// JSON form `bulkhead analyze --json` prints (lib/analysis/json.ts, docs/discovery.md). The
// computation is shared per window with the map (lib/read/analysis.ts); while it runs the route
// answers 202 with the progress and the caller asks again.
import { NextResponse } from 'next/server';
import { toAnalysisJson } from '../../../../lib/analysis/json';
import { analysisFor } from '../../../../lib/read/analysis';
import { windowOf, windowQuery } from '../../../_data/window';
import { apiRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, async ({ rt, query }) => {
  const s = await analysisFor(rt, windowOf(query));
  if (!s.ready) return NextResponse.json({ status: 'running', progress: s.progress }, { status: 202 });
  return toAnalysisJson(s.result);
});
