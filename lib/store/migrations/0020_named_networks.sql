-- Named networks for addresses that are not workloads (user subnets, the internet, partner
-- ranges): a copy of the relational NamedNetwork rows, one row per CIDR, as an address range in
-- the IPv6 column space (IPv4 CIDRs as ::ffff:a.b.c.d ranges). lib/identity/networks.ts replaces
-- the table whenever the named networks change, like address_bindings. Classify an address with
-- the most specific range that holds it (docs/identity.md has the SQL).
CREATE TABLE IF NOT EXISTS {{db}}.named_networks
(
    name        String,
    kind        LowCardinality(String),
    cidr        String,
    range_start IPv6,
    range_end   IPv6,
    -- prefix length in the IPv6 space (an IPv4 /24 is 120): larger = more specific
    prefix      UInt8,
    -- 1 for the built-in classes (private, link-local, internet, ...): a person's network of the
    -- same size wins
    builtin     UInt8
)
ENGINE = MergeTree
ORDER BY (range_start, prefix);

-- Reverse DNS names of addresses seen in flows that no inventory names (`bulkhead networks dns`).
-- The latest answer per address wins; failed lookups are kept (status) so they are not retried
-- on every run.
CREATE TABLE IF NOT EXISTS {{db}}.address_names
(
    addr         IPv6,
    name         String,
    -- ok | nxdomain | timeout | error
    status       LowCardinality(String),
    resolved_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(resolved_at)
ORDER BY addr;
