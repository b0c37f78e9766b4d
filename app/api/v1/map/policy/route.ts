// GET /api/v1/map/policy: the policy verdict of every dependency of the map of a window
// (allowed, proposed only, would be blocked, no rule yet), for the map's policy overlay.
import { NextResponse } from 'next/server';
import { analysisFor } from '../../../../../lib/read/analysis';
import { policyOverlay } from '../../../../../lib/read/overlay';
import { windowOf, windowQuery } from '../../../../_data/window';
import { apiRoute } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read', query: windowQuery }, async ({ rt, query }) => {
  const s = await analysisFor(rt, windowOf(query));
  if (!s.ready) return NextResponse.json({ status: 'running', progress: s.progress }, { status: 202 });
  return policyOverlay(rt.db.prisma, s.result);
});
