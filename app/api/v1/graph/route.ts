// GET /api/v1/graph?level=environment|application|role|workload [&application=ID]
//   [&hideCore=1] [&hideManagement=1] [&window=30d | from=ISO&to=ISO]
// The dependency graph of a window at one level (lib/analysis/levels.ts): nodes and folded edges
// with their ports, totals, rhythm and flags. Shares the per-window analysis with the map; 202
// with the progress while it runs.
import { NextResponse } from 'next/server';
import { graphAtLevel } from '../../../../lib/analysis/levels';
import { LEVELS } from '../../../../lib/analysis/types';
import { analysisFor } from '../../../../lib/read/analysis';
import { windowOf, windowShape } from '../../../_data/window';
import { apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const flag = z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true');

const query = z.object({
  ...windowShape,
  level: z.enum(LEVELS as unknown as [string, ...string[]]).default('application'),
  application: z.string().max(200).optional(),
  hideCore: flag,
  hideManagement: flag,
});

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query: q }) => {
  const s = await analysisFor(rt, windowOf(q as Parameters<typeof windowOf>[0]));
  if (!s.ready) return NextResponse.json({ status: 'running', progress: s.progress }, { status: 202 });
  const g = graphAtLevel(s.result, q.level as (typeof LEVELS)[number], { application: q.application, hideCoreServices: q.hideCore, hideManagement: q.hideManagement });
  return {
    level: g.level,
    window: { from: g.window.from.toISOString(), to: g.window.to.toISOString() },
    nodes: g.nodes,
    edges: g.edges.map((e) => ({ ...e, firstSeen: e.firstSeen.toISOString(), lastSeen: e.lastSeen.toISOString() })),
  };
});
