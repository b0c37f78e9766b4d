// A change made while a list's first load is in flight must still show: the invalidation alone
// joins that load and keeps its answer from before the change; refreshAfterChange fetches again.
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { refreshAfterChange } from './refresh';

function slowList() {
  let calls = 0;
  let stored = 'before';
  const queryFn = async ({ signal }: { signal: AbortSignal }) => {
    calls++;
    const answer = stored; // read when the request reached the server: before the change
    await new Promise((resolve, reject) => {
      const t = setTimeout(resolve, 30);
      signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))));
    });
    return answer;
  };
  return { queryFn, calls: () => calls, change: () => (stored = 'after') };
}

async function settle(qc: QueryClient, observer: QueryObserver<string>) {
  for (let i = 0; i < 50 && (observer.getCurrentResult().fetchStatus !== 'idle' || observer.getCurrentResult().data === undefined); i++) await new Promise((r) => setTimeout(r, 10));
  return qc.getQueryData<string>(['list']);
}

describe('refreshAfterChange', () => {
  it('fetches again when the change lands during the first load (an invalidation alone keeps the old answer)', async () => {
    for (const [refresh, expected] of [
      [(qc: QueryClient) => qc.invalidateQueries({ queryKey: ['list'] }), 'before'],
      [(qc: QueryClient) => refreshAfterChange(qc, ['list']), 'after'],
    ] as const) {
      const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
      const list = slowList();
      const observer = new QueryObserver<string>(qc, { queryKey: ['list'], queryFn: list.queryFn });
      const unsubscribe = observer.subscribe(() => {});
      await new Promise((r) => setTimeout(r, 5)); // the first load is in flight
      list.change();
      await refresh(qc);
      expect(await settle(qc, observer)).toBe(expected);
      unsubscribe();
      qc.clear();
    }
  });
});
