// Proposals: the discovery graph turned into label-based allow rules, coarse to fine.
//
// Every dependency (edge) of the window falls into one kind, which decides its selectors:
//   core-service  everyone who uses a shared core service (DNS, NTP, directory, logging, patching)
//                 -> the service: clients are covered by the coarsest selectors that hold no
//                 scanner and mostly clients (every workload, an environment, an application...)
//   core-agent    a core service that pulls from agents (monitoring, backup) -> what it pulls from
//   management    jump hosts -> what they manage (covered like core-service clients)
//   ingress       a network, partner or the internet -> a workload group (known scanners excepted)
//   egress        a workload group -> an outside address or network
//   intra-app     role to role inside an application (the granularity knob decides the level)
//   cross-app     application to application
//   environment   with granularity 'environment': environment to environment (ring-fencing)
// Scanners never produce rules. Rules with the same selectors are consolidated (ports merged, then
// generalised by the port knob), and each carries its evidence and a one-sentence intent.
// Pure: analysis result and label view in, proposals out (saveProposals in ./workflow.ts writes them). The steps live in
// ./propose-context.ts, ./propose-cover.ts, ./propose-classify.ts and ./propose-rules.ts.
import { LEVELS, type AnalysisResult } from '../analysis/types';
import type { PolicyView } from './labels';
import type { Granularity, ProposeOptions, ProposalSet } from './propose-types';
import { classifyEdges, spreadBundles } from './propose-classify';
import { nameOf, proposeContext } from './propose-context';
import { ruleOf, sortRules } from './propose-rules';

export * from './propose-types';
export { DEFAULT_COVER } from './propose-context';
export { proposalKey } from './propose-rules';

export const GRANULARITIES: readonly Granularity[] = LEVELS;

/**
 * The pipeline: the context every step reads (options, scanners, lookups), every edge classified
 * into buckets or bundles, the bundles' other sides covered, each bucket made a rule, rules in
 * review order. Each step is exported from its module and tested on its own.
 */
export function buildProposals(result: AnalysisResult, view: PolicyView, opts: ProposeOptions = {}): ProposalSet {
  const ctx = proposeContext(result, view, opts);
  const { buckets, bundles, skipped } = classifyEdges(ctx);
  spreadBundles(ctx, buckets, bundles);
  const rules = sortRules([...buckets.values()].map((b) => ruleOf(ctx, b)));
  return {
    window: { from: result.window.from, to: result.window.to },
    options: { granularity: ctx.granularity, ports: ctx.portsHow, coverThreshold: ctx.theta, rangeGap: ctx.rangeGap },
    rules,
    skipped,
    scanners: { workloads: [...ctx.scannerIds].map((id) => nameOf(ctx, id)).sort(), addresses: [...ctx.scannerAddrs].sort() },
  };
}
