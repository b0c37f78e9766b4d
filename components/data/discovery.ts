// GET /api/v1/discovery/coverage: how well a window is covered, per source and day, and whether
// discovery has converged.
export interface CoverageReport {
  window: { from: string; to: string };
  days: string[];
  cycleDays: number;
  daysWithData: number;
  shorterThanCycle: boolean;
  converged: boolean;
  notes: string[];
  sources: Array<{
    sourceKind: string;
    exporter: string;
    flows: number;
    hoursWithData: number;
    missingHours: number;
    firstSeen: string;
    lastSeen: string;
    gaps: Array<{ from: string; to: string; hours: number }>;
    /** per UTC day of the window: flows and hours with data */
    perDay: Array<{ day: string; flows: number; hours: number }>;
  }>;
  convergence: Array<{ day: string; newEdges: number; cumulative: number }>;
  excluded: {
    /** reason: port-sweep, ping-sweep, dark-sweep, unanswered, many-ports; scope: 'source' (the whole machine) or 'probes' (a shared service that also sweeps) */
    scanners: Array<{ name: string; targets: number; hosts: number; ports: number; failedRatio: number; flows: number; reason: string; scope: 'source' | 'probes' }>;
    ephemeralConversations: number;
    ephemeralFlows: number;
  };
  totals: { workloads: number; applications: number; dependencies: number };
  /** networks of unknown clients discovery suggests (a person accepts, renames, narrows or declines them) */
  networks: Array<{ name: string; cidr: string; addresses: number; reaches: string[]; confidence: number }>;
}
