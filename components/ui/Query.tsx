'use client';
// Renders a query over a window's analysis: progress while it runs, the error with a retry, or the content.
import type { ReactNode } from 'react';
import type { Pending } from '../data/progress';
import { AnalysisRunning, ErrorBox, Loading } from './States';

export function QueryState<T>({ q, what, children }: { q: { ready: T | null; pending: Pending | null; error: unknown; refetch: () => unknown }; what: string; children: (data: T) => ReactNode }) {
  if (q.error) return <ErrorBox error={q.error} retry={() => void q.refetch()} />;
  if (q.pending) return <AnalysisRunning progress={q.pending.progress} />;
  if (!q.ready) return <Loading what={what} />;
  return <>{children(q.ready)}</>;
}
