-- Flow records whose times are outside the admission window (lib/store/admission.ts): a router
-- with a wrong clock, or a hostile exporter. Kept aside for a person to look at, never in the flow
-- tables; partitioned by when they arrived, so their own times cannot multiply partitions. Kept
-- 30 days.
CREATE TABLE IF NOT EXISTS {{db}}.flows_quarantine
(
    received    DateTime('UTC') DEFAULT now(),
    exporter    LowCardinality(String),
    source_kind LowCardinality(String),
    reason      String,
    start_ms    Int64,
    record      String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received)
ORDER BY (exporter, received)
TTL received + INTERVAL 30 DAY;

ALTER TABLE {{db}}.exporter_stats ADD COLUMN IF NOT EXISTS quarantined UInt64 DEFAULT 0;
