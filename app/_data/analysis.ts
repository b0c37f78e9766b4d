// Read routes over a window's analysis (lib/read/analysis.ts shares one computation per window):
// the handler's answer once the analysis is ready, or 202 with its progress, which the page shows
// before it asks again.
import type { AnalysisResult } from '../../lib/analysis/types';
import { analysisFor } from '../../lib/read/analysis';
import type { Runtime } from '../../lib/runtime';

export async function withAnalysis<T>(rt: Runtime, window: { from?: string; to?: string; days?: number }, fn: (r: AnalysisResult) => Promise<T> | T): Promise<T | Response> {
  const s = await analysisFor(rt, window);
  if (!s.ready) return Response.json({ status: 'running', progress: s.progress }, { status: 202 });
  return fn(s.result);
}
