'use client';
// A query over a window's analysis: while the analysis runs the route answers 202 with its
// progress, and the query asks again until the answer is there.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { apiGet, type Params } from './api/client';
import { isPending, type Pending } from './data/progress';

export function useAnalysisQuery<T>(key: unknown[], path: string, params: Params, opts: { enabled?: boolean } = {}): UseQueryResult<T | Pending> & { ready: T | null; pending: Pending | null } {
  const q = useQuery<T | Pending>({
    queryKey: [...key, params],
    queryFn: ({ signal }) => apiGet<T | Pending>(path, params, signal),
    refetchInterval: (query) => (isPending(query.state.data) ? 700 : false),
    enabled: opts.enabled,
  });
  const pending = isPending(q.data) ? q.data : null;
  return Object.assign(q, { ready: q.data && !pending ? (q.data as T) : null, pending });
}
