-- Daily conversations keyed by (day, client, server, server port, protocol), with the hours of
-- the day that had traffic as a bit mask: what discovery reads for whole days, so that a month
-- is about 30 rows per dependency instead of up to 720 (lib/analysis/edges.ts). It is fed from
-- the hourly rollup (a materialized view on conversations_hourly, which the flows view fills),
-- so both rollups always agree. Identity by time stays exact: days on which an address changed
-- hands are read from the hourly rollup instead.
CREATE TABLE IF NOT EXISTS {{db}}.conversations_daily
(
    day               Date,
    client_addr       IPv6,
    server_addr       IPv6,
    server_port       UInt16,
    protocol          UInt8,
    flows             SimpleAggregateFunction(sum, UInt64),
    bytes_c2s         SimpleAggregateFunction(sum, UInt64),
    bytes_s2c         SimpleAggregateFunction(sum, UInt64),
    packets_c2s       SimpleAggregateFunction(sum, UInt64),
    packets_s2c       SimpleAggregateFunction(sum, UInt64),
    rejected_flows    SimpleAggregateFunction(sum, UInt64),
    unanswered_flows  SimpleAggregateFunction(sum, UInt64),
    -- bit h set = traffic in hour h (UTC) of the day
    hours             SimpleAggregateFunction(groupBitOr, UInt32),
    first_seen        SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen         SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, client_addr, server_addr, server_port, protocol);

-- What the hourly rollup already holds (an existing installation), once, before the view starts.
INSERT INTO {{db}}.conversations_daily
SELECT toDate(hour) AS day, client_addr, server_addr, server_port, protocol,
       sum(flows), sum(bytes_c2s), sum(bytes_s2c), sum(packets_c2s), sum(packets_s2c), sum(rejected_flows), sum(unanswered_flows),
       groupBitOr(toUInt32(bitShiftLeft(toUInt32(1), toHour(hour)))), min(first_seen), max(last_seen)
FROM {{db}}.conversations_hourly
WHERE (SELECT count() FROM {{db}}.conversations_daily) = 0
GROUP BY day, client_addr, server_addr, server_port, protocol;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.conversations_daily_mv TO {{db}}.conversations_daily AS
SELECT
    toDate(hour) AS day,
    client_addr,
    server_addr,
    server_port,
    protocol,
    sum(flows) AS flows,
    sum(bytes_c2s) AS bytes_c2s,
    sum(bytes_s2c) AS bytes_s2c,
    sum(packets_c2s) AS packets_c2s,
    sum(packets_s2c) AS packets_s2c,
    sum(rejected_flows) AS rejected_flows,
    sum(unanswered_flows) AS unanswered_flows,
    groupBitOr(toUInt32(bitShiftLeft(toUInt32(1), toHour(hour)))) AS hours,
    min(first_seen) AS first_seen,
    max(last_seen) AS last_seen
FROM {{db}}.conversations_hourly
GROUP BY day, client_addr, server_addr, server_port, protocol;
