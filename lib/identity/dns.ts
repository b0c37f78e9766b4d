// Reverse DNS for addresses that no inventory names: a PTR name often says what an unknown
// endpoint is (a partner's API, a SaaS, a forgotten server). Lookups run in bounded parallel with
// a timeout each, and the answers (failures too, so they are not retried every run) go to
// ClickHouse's address_names table, where the resolver and SQL find them.
//
// The lookup function is a parameter: the CLI uses the system resolver (node:dns), tests pass
// their own (tests never leave loopback).
import { Resolver } from 'node:dns/promises';
import type { Store } from '../store';
import { canonicalAddress } from './address';

export type DnsStatus = 'ok' | 'nxdomain' | 'timeout' | 'error';

export interface DnsAnswer {
  addr: string;
  /** the first PTR name, '' when none */
  name: string;
  status: DnsStatus;
}

export type ReverseLookup = (addr: string) => Promise<string[]>;

/** The system resolver (or the given servers), one try, a timeout per query. */
export function systemReverseLookup(opts: { timeoutMs?: number; servers?: string[] } = {}): ReverseLookup {
  const r = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: 1 });
  if (opts.servers?.length) r.setServers(opts.servers);
  return (addr) => r.reverse(addr);
}

function statusOf(e: unknown): DnsStatus {
  const code = (e as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA') return 'nxdomain';
  if (code === 'ETIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  return 'error';
}

/** Reverse-resolve addresses, `concurrency` at a time; never throws for one address. */
export async function reverseResolve(
  addrs: readonly string[],
  lookup: ReverseLookup,
  opts: { concurrency?: number; timeoutMs?: number; onDone?: (done: number) => void; signal?: AbortSignal } = {},
): Promise<DnsAnswer[]> {
  const out: DnsAnswer[] = [];
  const timeoutMs = opts.timeoutMs ?? 3000;
  let next = 0;
  const worker = async () => {
    while (next < addrs.length && !opts.signal?.aborted) {
      const addr = addrs[next++]!;
      let timer: NodeJS.Timeout | undefined;
      try {
        const names = await Promise.race([
          lookup(addr),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })), timeoutMs);
          }),
        ]);
        const name = (names[0] ?? '').replace(/\.$/, '');
        out.push({ addr, name, status: name ? 'ok' : 'nxdomain' });
      } catch (e) {
        out.push({ addr, name: '', status: statusOf(e) });
      } finally {
        clearTimeout(timer);
      }
      opts.onDone?.(out.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 16, addrs.length)) }, worker));
  return out;
}

export async function storeAnswers(store: Store, answers: readonly DnsAnswer[], at = new Date()): Promise<void> {
  if (!answers.length) return;
  await store.client.insert({
    table: store.t('address_names'),
    format: 'JSONCompactEachRow',
    columns: ['addr', 'name', 'status', 'resolved_at'],
    values: answers.map((a) => [a.addr, a.name, a.status, at.getTime()]),
  });
}

/**
 * Addresses seen in conversations since `since` that no inventory ever bound and that have no
 * DNS answer younger than `maxAgeDays`, busiest first.
 */
export async function dnsCandidates(store: Store, opts: { since: Date; limit: number; maxAgeDays?: number }): Promise<Array<{ addr: string; flows: number }>> {
  return store.rows<{ addr: string; flows: number }>(
    `SELECT IPv6NumToString(addr) AS addr, sum(f) AS flows FROM (
       SELECT client_addr AS addr, sum(flows) AS f FROM ${store.t('conversations_hourly')} WHERE hour >= {since:DateTime64(3)} GROUP BY addr
       UNION ALL
       SELECT server_addr AS addr, sum(flows) AS f FROM ${store.t('conversations_hourly')} WHERE hour >= {since:DateTime64(3)} GROUP BY addr)
     WHERE addr NOT IN (SELECT addr FROM ${store.t('address_bindings')})
       AND addr NOT IN (SELECT addr FROM ${store.t('address_names')} FINAL WHERE resolved_at > now64(3) - toIntervalDay({age:UInt32}))
     GROUP BY addr ORDER BY flows DESC, addr LIMIT {limit:UInt32}`,
    { since: opts.since.getTime() / 1000, limit: opts.limit, age: opts.maxAgeDays ?? 7 },
  ).then((rows) => rows.map((r) => ({ addr: canonicalAddress(r.addr) ?? r.addr, flows: r.flows })));
}

/** The latest successful reverse names, for the given addresses or all. */
export async function loadNames(store: Store, addrs?: readonly string[]): Promise<Map<string, string>> {
  const filter = addrs ? 'AND addr IN (SELECT arrayJoin(arrayMap(a -> toIPv6(a), {addrs:Array(String)})))' : '';
  const rows = await store.rows<{ addr: string; name: string }>(
    `SELECT IPv6NumToString(addr) AS addr, name FROM ${store.t('address_names')} FINAL WHERE status = 'ok' ${filter}`,
    addrs ? { addrs } : undefined,
  );
  return new Map(rows.map((r) => [canonicalAddress(r.addr) ?? r.addr, r.name]));
}
