// What an inventory source says about workloads, in one shape for every source (JSON, CSV,
// vCenter, Kubernetes, AWS, VM identity seen in flows, the demo estate). Adapters in
// collectors/inventory/ turn their exports into observations; applyInventory() (./apply.ts)
// turns observations into workloads, labels and address bindings with validity intervals.

/** vm | instance | pod | node | service | host | unknown (Workload.kind) */
export type WorkloadKind = 'vm' | 'instance' | 'pod' | 'node' | 'service' | 'host' | 'unknown';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['vm', 'instance', 'pod', 'node', 'service', 'host', 'unknown'];

/** An address a workload holds. Without `from` it holds the address as of the import's `at`. */
export interface ObservedAddress {
  /** IPv4 or IPv6 text; stored in canonical form */
  ip: string;
  /** start of the holding (default: the import's `at`) */
  from?: Date;
  /** end of the holding (exclusive); null or absent = still held */
  to?: Date | null;
}

export interface InventoryObservation {
  /** unique across the estate: hostname, VM name, namespace/pod */
  name: string;
  /**
   * stable identity in its source (aws:i-0abc, vcenter:<instance uuid>, k8s:<uid>). Matched first,
   * so a renamed VM stays the same workload; absent = matched by name.
   */
  externalId?: string;
  kind?: WorkloadKind;
  /**
   * The name is only a fallback (an ENI listing knows an instance's id, not its Name tag): it
   * names a new workload but never renames an existing one.
   */
  provisionalName?: boolean;
  /**
   * The addresses the workload holds now (or held, with intervals). For a workload that is
   * observed, bindings of this source that are open and not listed are closed at `at`.
   */
  addresses: ObservedAddress[];
  /** key/value labels (role, app, env, loc or any key); labels set by people are never overwritten */
  labels?: Record<string, string>;
  /** anything else worth keeping (instanceId, host, cluster, namespace, ...) */
  attributes?: Record<string, unknown>;
}

export interface ApplyOptions {
  /** the inventory source, recorded on workloads, bindings and labels: json | csv | vcenter | kubernetes | aws | flows | demo | ... */
  source: string;
  /** when the inventory was true (default now): opens and closes bindings at this time */
  at?: Date;
  /**
   * The observations are the complete inventory of `source`: workloads of this source that are
   * not observed get their open bindings (from this source) closed at `at`.
   */
  prune?: boolean;
  /**
   * The observations add what they list and close nothing they do not list: for partial
   * evidence such as VM identity seen in flows (an address not seen this week is not released).
   */
  additive?: boolean;
  /** compute and report the changes without writing them */
  dryRun?: boolean;
}

/** A change that needed a decision, reported so people can check it. */
export interface InventoryNote {
  workload: string;
  ip?: string;
  message: string;
}

export interface ApplyResult {
  workloads: { created: number; updated: number; unchanged: number; renamed: number };
  bindings: {
    /** new bindings */
    opened: number;
    /** bindings closed because the address moved to another workload */
    moved: number;
    /** bindings closed because the workload no longer lists the address (or was pruned) */
    closed: number;
    /** bindings extended or merged with an observation of the same holding */
    extended: number;
    /** bindings shortened or removed because an explicit interval said otherwise */
    trimmed: number;
  };
  labels: { set: number; unchanged: number; keptUser: number };
  /** the first notes (moves, kept user labels, refused addresses), up to 200 */
  notes: InventoryNote[];
  /** observations refused (bad address, empty name, ...), with the reason */
  refused: Array<{ name: string; reason: string }>;
  /**
   * what the file said twice or contradicted, and the rule that decided it: a name listed twice
   * (merged), an address claimed by two workloads from the same time (the first entry holds it),
   * a label that could not be used (left out); up to 200
   */
  conflicts: InventoryNote[];
  /** rows in ClickHouse's address_bindings after the sync (null when no store was given or dry run) */
  synced: number | null;
}
