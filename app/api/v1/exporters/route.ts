// GET /api/v1/exporters: the flow exporters this server hears from (live counters of the
// collectors in this process: datagrams, records, templates, errors, sequence loss, drops) and
// what each source stored over the last hours (from the sources_hourly rollup), so the page
// can say what arrives, from whom, and what was lost.
import { apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const query = z.object({ hours: z.coerce.number().int().min(1).max(24 * 400).default(24) });

export const GET = apiRoute({ permission: 'map:read', query }, async ({ rt, query }) => {
  const live = rt.collectors?.status() ?? null;
  const rows = await rt.store.rows<{ exporter: string; sourceKind: string; flows: number; bytes: number; firstSeen: number; lastSeen: number }>(
    `SELECT exporter, source_kind AS sourceKind, sum(flows) AS flows, sum(bytes) AS bytes,
            toUnixTimestamp64Milli(min(first_seen)) AS firstSeen, toUnixTimestamp64Milli(max(last_seen)) AS lastSeen
       FROM ${rt.store.t('sources_hourly')}
      WHERE hour >= toStartOfHour(now() - toIntervalHour({hours:UInt32}))
        AND source_kind IN ('netflow5', 'netflow9', 'ipfix', 'sflow5')
      GROUP BY exporter, source_kind
      ORDER BY exporter, source_kind`,
    { hours: query.hours },
  );
  const stored = rows.map((r) => ({ ...r, firstSeen: new Date(r.firstSeen).toISOString(), lastSeen: new Date(r.lastSeen).toISOString() }));
  return {
    collecting: live !== null,
    hint: live ? null : 'The flow collectors do not run in this server process: start Bulkhead with `bulkhead serve` (without --no-collect), or run `bulkhead collect`.',
    startedAt: live?.startedAt ?? null,
    listeners: live?.listeners ?? [],
    exporters: live?.exporters ?? [],
    refused: live?.refused ?? {},
    stored: { hours: query.hours, sources: stored },
  };
});
