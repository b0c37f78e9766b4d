// Progress of a running discovery analysis, as routes report it (HTTP 202), pages show it and
// lib/read/analysis.ts keeps it. Browser-safe: only type imports.
import type { AnalysisStep } from '../analysis/types';

export interface AnalysisProgress {
  step: AnalysisStep | 'starting';
  done: number;
  total: number;
  startedAt: number;
}

/** What a route answers while the analysis of its window is still running. */
export interface Pending {
  status: 'running';
  progress: AnalysisProgress;
}

export const STEP_LABELS: Record<AnalysisProgress['step'], string> = {
  starting: 'starting',
  coverage: 'reading coverage per source',
  edges: 'aggregating conversations into dependencies',
  inventory: 'resolving workloads and labels',
  services: 'finding shared services and management paths',
  clustering: 'grouping workloads into applications',
  roles: 'inferring roles',
  convergence: 'measuring convergence',
};

export const isPending = (x: unknown): x is Pending => !!x && typeof x === 'object' && (x as { status?: unknown }).status === 'running';
