// GET /api/v1/exporters: the flow exporters this server hears from (live counters of the
// collectors in this process: datagrams, records, templates, errors, sequence loss, drops,
// records quarantined for their times),
// their statistics over the last hours from every collector process (the exporter_stats table,
// in points for a chart), and what each source stored (the sources_hourly rollup), so the page
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
  // About 60 points over the window, a minute at the finest (the collectors write every minute).
  const bucketSeconds = Math.max(60, Math.ceil((query.hours * 3600) / 60 / 60) * 60);
  const points = await rt.store.rows<{ exporter: string; version: string; t: number; datagrams: number; records: number; decodeErrors: number; noTemplate: number; lost: number; dropped: number; quarantined: number; collectors: number }>(
    `SELECT exporter, version, toUnixTimestamp(toStartOfInterval(time, toIntervalSecond({bucket:UInt32}))) AS t,
            sum(datagrams) AS datagrams, sum(records) AS records, sum(decode_errors) AS decodeErrors, sum(no_template) AS noTemplate,
            sum(lost) AS lost, sum(dropped) AS dropped, sum(quarantined) AS quarantined, uniqExact(collector) AS collectors
       FROM ${rt.store.t('exporter_stats')}
      WHERE time >= now() - toIntervalHour({hours:UInt32})
      GROUP BY exporter, version, t
      ORDER BY exporter, version, t`,
    { hours: query.hours, bucket: bucketSeconds },
  );
  const series = new Map<string, { exporter: string; version: string; points: Array<Omit<(typeof points)[number], 'exporter' | 'version' | 't'> & { time: string }> }>();
  for (const { exporter, version, t, ...p } of points) {
    const key = `${exporter}|${version}`;
    if (!series.has(key)) series.set(key, { exporter, version, points: [] });
    series.get(key)!.points.push({ time: new Date(t * 1000).toISOString(), ...p });
  }
  return {
    collecting: live !== null,
    hint: live ? null : 'The flow collectors do not run in this server process: start Bulkhead with `bulkhead serve` (without --no-collect), or run `bulkhead collect`.',
    startedAt: live?.startedAt ?? null,
    listeners: live?.listeners ?? [],
    exporters: live?.exporters ?? [],
    refused: live?.refused ?? {},
    history: { hours: query.hours, bucketSeconds, series: [...series.values()] },
    stored: { hours: query.hours, sources: stored },
  };
});
