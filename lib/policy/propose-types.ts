// The shapes of proposals and their options, apart from the pipeline that makes them
// (./propose.ts) so that its steps can name them without importing it.
import type { Level } from '../analysis/types';
import type { Evidence, ProposalKind, RuleDraft } from './model';
import type { PortGeneralisation } from './ports';

/** How fine application rules are: one of the graph's levels (the option keeps its own name). */
export type Granularity = Level;

export interface ProposeOptions {
  /** how fine application rules are (default 'role') */
  granularity?: Granularity;
  /** exact observed ports (default), nearby ports as ranges, or every port of the protocol */
  ports?: PortGeneralisation;
  /** largest gap folded into a range under ports 'ranges' */
  rangeGap?: number;
  /**
   * Clients of a core service (and targets of management or agents) are covered by a coarser
   * selector when at least this share of what it selects are clients (default 0.9): new
   * workloads get DNS without a new rule, at the price of a little reach for the rest.
   */
  coverThreshold?: number;
}

export interface Proposal extends RuleDraft {
  /** stable identity: selectors + ports (re-proposing updates, never duplicates) */
  key: string;
  kind: ProposalKind;
  /** the application whose owners review it (name), when one */
  application: string | null;
  evidence: Evidence;
}

export interface ProposalSet {
  window: { from: Date; to: Date };
  options: Required<Omit<ProposeOptions, 'rangeGap'>> & { rangeGap: number };
  rules: Proposal[];
  /** what did not become a rule, and why */
  skipped: Skipped;
  /** scanners known to the analysis: workloads (never selected by a proposal) and outside addresses (excepted from network rules) */
  scanners: { workloads: string[]; addresses: string[] };
}

export interface Skipped {
  /** edges whose client is a scanner (there are none unless labels mark one; discovery already drops scans) */
  scannerEdges: number;
  /** both ends outside the estate */
  transit: number;
  /** protocols a rule cannot name (not TCP, UDP or ICMP) */
  unsupportedProtocol: Array<{ from: string; to: string; protocol: number; flows: number }>;
}
