-- Flow exporter statistics over time, one row per collector process, exporter and protocol per
-- interval (a minute by default), as counter deltas: what arrived, what decoded, what was lost
-- and where. Written by the UDP collectors (collectors/index.ts); read by GET /api/v1/exporters,
-- so statistics survive restarts and are visible from every process when several collectors
-- share a ClickHouse server. Kept 400 days, like the rollups by default.
CREATE TABLE IF NOT EXISTS {{db}}.exporter_stats
(
    time              DateTime('UTC'),
    collector         LowCardinality(String),
    exporter          LowCardinality(String),
    version           LowCardinality(String),
    datagrams         UInt64,
    bytes             UInt64,
    records           UInt64,
    templates         UInt64,
    options           UInt64,
    counter_samples   UInt64,
    decode_errors     UInt64,
    no_template       UInt64,
    sequence_gaps     UInt64,
    lost              UInt64,
    lost_unit         LowCardinality(String),
    sequence_resets   UInt64,
    dropped           UInt64,
    last_error        String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (exporter, version, time)
TTL time + INTERVAL 400 DAY;
