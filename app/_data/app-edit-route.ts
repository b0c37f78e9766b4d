// The application edit routes (confirm, rename, merge, split): find the application of the
// window the page showed, run the edit from lib/applications with its audit event, and forget
// cached analyses so that the next page load shows the change.
import type { AnalysisResult } from '../../lib/analysis/types';
import type { AppRef, AuditFn, EditResult } from '../../lib/applications/edit';
import { ApiError, type ApiContext } from '../api/_lib/route';
import { analysisResult, invalidateAnalyses } from '../../lib/read/analysis';
import { appRef } from '../../lib/read/apps';
import { windowOf } from './window';

export async function editApplication<B extends { window?: '24h' | '7d' | '30d'; from?: string; to?: string }>(
  ctx: ApiContext<undefined, B>,
  edit: (app: AppRef, result: AnalysisResult, audit: AuditFn) => Promise<EditResult>,
): Promise<EditResult> {
  const result = await analysisResult(ctx.rt, windowOf(ctx.body));
  const app = appRef(result, ctx.params.id!);
  if (!app) throw new ApiError(404, `no application ${ctx.params.id} in this window`);
  const out = await edit(app, result, (e, tx) => ctx.audit(e, tx));
  invalidateAnalyses();
  return out;
}
