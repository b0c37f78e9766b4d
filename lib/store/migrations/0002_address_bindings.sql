-- Which workload held an address when: a copy of the relational AddressBinding history, kept in
-- ClickHouse so that discovery queries resolve (address, time) -> workload in SQL, joined against
-- the hourly rollups. lib/identity/bindings.ts replaces the whole table from the relational store
-- whenever inventory changes (it is small: one row per address binding).
-- An open binding (still held) has valid_to = 2106-01-01.
CREATE TABLE IF NOT EXISTS {{db}}.address_bindings
(
    addr           IPv6,
    valid_from     DateTime64(3, 'UTC'),
    valid_to       DateTime64(3, 'UTC'),
    workload_id    String,
    workload_name  String
)
ENGINE = MergeTree
ORDER BY (addr, valid_from);
