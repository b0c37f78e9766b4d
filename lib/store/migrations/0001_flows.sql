-- Raw flow records from every source, one row per normalized FlowRecord (lib/flow/record.ts).
-- IPv4 and IPv6 share one IPv6 column (IPv4 stored as ::ffff:a.b.c.d).
-- Retention (TTL) is applied after migrations from the configuration (lib/store/retention.ts).
CREATE TABLE IF NOT EXISTS {{db}}.flows
(
    start_time          DateTime64(3, 'UTC'),
    end_time            DateTime64(3, 'UTC'),
    received_at         DateTime64(3, 'UTC') DEFAULT now64(3),
    src_addr            IPv6,
    dst_addr            IPv6,
    src_port            UInt16,
    dst_port            UInt16,
    protocol            UInt8,
    bytes               UInt64,
    packets             UInt64,
    rev_bytes           UInt64 DEFAULT 0,
    rev_packets         UInt64 DEFAULT 0,
    tcp_flags           UInt8 DEFAULT 0,
    server_side         Enum8('dst' = 0, 'src' = 1),
    orientation         Enum8('guess' = 0, 'biflow' = 1, 'tcp-flags' = 2, 'source' = 3, 'port' = 4, 'peers' = 5),
    source_kind         LowCardinality(String),
    exporter            LowCardinality(String),
    observation_domain  UInt32 DEFAULT 0,
    sampling_rate       UInt32 DEFAULT 1,
    direction           Enum8('unknown' = 0, 'ingress' = 1, 'egress' = 2) DEFAULT 'unknown',
    action              Enum8('unknown' = 0, 'accept' = 1, 'reject' = 2) DEFAULT 'unknown',
    in_if               UInt32 DEFAULT 0,
    out_if              UInt32 DEFAULT 0,
    vlan                UInt16 DEFAULT 0,
    src_vm              LowCardinality(String) DEFAULT '',
    dst_vm              LowCardinality(String) DEFAULT '',
    vpc_id              LowCardinality(String) DEFAULT '',
    interface_id        LowCardinality(String) DEFAULT '',
    extras              Map(LowCardinality(String), String),
    INDEX idx_src_addr src_addr TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_dst_addr dst_addr TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toDate(start_time)
ORDER BY (toStartOfHour(start_time), src_addr, dst_addr, start_time);

-- Hourly conversations keyed by (hour, client, server, server port, protocol): what every
-- discovery query reads, so that a month never scans raw flows. Byte and packet counters are
-- scaled by the sampling rate; `flows` counts records as exported.
CREATE TABLE IF NOT EXISTS {{db}}.conversations_hourly
(
    hour              DateTime('UTC'),
    client_addr       IPv6,
    server_addr       IPv6,
    server_port       UInt16,
    protocol          UInt8,
    flows             SimpleAggregateFunction(sum, UInt64),
    bytes_c2s         SimpleAggregateFunction(sum, UInt64),
    bytes_s2c         SimpleAggregateFunction(sum, UInt64),
    packets_c2s       SimpleAggregateFunction(sum, UInt64),
    packets_s2c       SimpleAggregateFunction(sum, UInt64),
    -- records refused by a firewall or security group (cloud logs: REJECT)
    rejected_flows    SimpleAggregateFunction(sum, UInt64),
    -- TCP attempts that saw no answer: SYN without ACK and nothing back (scanner evidence)
    unanswered_flows  SimpleAggregateFunction(sum, UInt64),
    first_seen        SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen         SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, client_addr, server_addr, server_port, protocol);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.conversations_hourly_mv TO {{db}}.conversations_hourly AS
SELECT
    toStartOfHour(start_time) AS hour,
    if(server_side = 'dst', src_addr, dst_addr) AS client_addr,
    if(server_side = 'dst', dst_addr, src_addr) AS server_addr,
    if(server_side = 'dst', dst_port, src_port) AS server_port,
    protocol,
    count() AS flows,
    sum(if(server_side = 'dst', bytes, rev_bytes) * greatest(sampling_rate, 1)) AS bytes_c2s,
    sum(if(server_side = 'dst', rev_bytes, bytes) * greatest(sampling_rate, 1)) AS bytes_s2c,
    sum(if(server_side = 'dst', packets, rev_packets) * greatest(sampling_rate, 1)) AS packets_c2s,
    sum(if(server_side = 'dst', rev_packets, packets) * greatest(sampling_rate, 1)) AS packets_s2c,
    countIf(action = 'reject') AS rejected_flows,
    countIf(protocol = 6 AND bitAnd(tcp_flags, 0x12) = 0x02 AND rev_packets = 0) AS unanswered_flows,
    min(start_time) AS first_seen,
    max(end_time) AS last_seen
FROM {{db}}.flows
GROUP BY hour, client_addr, server_addr, server_port, protocol;

-- What each source delivered per hour: coverage and gaps per source without scanning flows.
CREATE TABLE IF NOT EXISTS {{db}}.sources_hourly
(
    hour         DateTime('UTC'),
    source_kind  LowCardinality(String),
    exporter     LowCardinality(String),
    flows        SimpleAggregateFunction(sum, UInt64),
    bytes        SimpleAggregateFunction(sum, UInt64),
    first_seen   SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen    SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, source_kind, exporter);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.sources_hourly_mv TO {{db}}.sources_hourly AS
SELECT
    toStartOfHour(start_time) AS hour,
    source_kind,
    exporter,
    count() AS flows,
    sum((bytes + rev_bytes) * greatest(sampling_rate, 1)) AS bytes,
    min(start_time) AS first_seen,
    max(end_time) AS last_seen
FROM {{db}}.flows
GROUP BY hour, source_kind, exporter;
