// After a change, what was read before it is out of date, including a read still in flight.
// React Query folds an invalidation into a fetch already in flight when the query has no data
// yet (its first load): a list that began loading just before a POST and answered just after it
// kept the answer from before the change, for good (the baselines page showed "None yet" beside
// "Created e2e v1"). Cancelling first makes the invalidation fetch again. One helper, so every
// mutation refreshes the same way.
import type { QueryClient, QueryKey } from '@tanstack/react-query';

/** Refetch the queries under these keys (every query when none is given), in-flight reads included. */
export async function refreshAfterChange(qc: QueryClient, ...keys: QueryKey[]): Promise<void> {
  const filters = keys.length ? keys.map((queryKey) => ({ queryKey })) : [{}];
  for (const f of filters) await qc.cancelQueries(f);
  await Promise.all(filters.map((f) => qc.invalidateQueries(f)));
}
