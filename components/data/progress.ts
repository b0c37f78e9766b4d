// Progress of a running discovery analysis: defined in lib/read/progress.ts.
export type { AnalysisProgress, Pending } from '../../lib/read/progress';
export { isPending, STEP_LABELS } from '../../lib/read/progress';
