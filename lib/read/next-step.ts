// The journey from flows to an enforced, exported policy (overview, map, application, review,
// simulate, enforce, export): for each page, the step that follows from what the stores hold.
// Pure: the pages gather the state and draw the links, so every page leads the same way and
// the rule lives in one place.
import { count } from '../words';

export interface NextLink {
  href: string;
  label: string;
}

/** What to say and where to go; the first link is the step, the others its alternatives. */
export interface NextStep {
  say: string;
  links: NextLink[];
}

const enc = encodeURIComponent;
const appHref = (id: string) => `/applications/${enc(id)}`;
const EXPORT_HREF = '/baselines?format=nftables';

/** Overview: no data leads to the ways of getting some; data leads to the map, then to what waits. */
export function overviewNext(s: { flows: number; proposed: number; approved: number; enforced: number; baselines: number; canPropose: boolean; canExport: boolean }): NextStep {
  if (!s.flows)
    return {
      say: 'No flows yet. Give Bulkhead traffic to learn from: point exporters at the collectors, import flow logs, or load the demo estate (npx bulkhead demo).',
      links: [
        { href: '/discovery/exporters', label: 'the collectors' },
        { href: '/discovery/imports', label: 'imports' },
      ],
    };
  const map = { href: '/map', label: 'Open the dependency map' };
  if (!s.proposed && !s.approved)
    return {
      say: `Discovery has a map: open it, pick an application and open its page. ${s.canPropose ? 'Then propose rules from discovery.' : 'An architect proposes rules from it next.'}`,
      links: [map, ...(s.canPropose ? [{ href: '/rules', label: 'propose rules' }] : [])],
    };
  if (s.proposed)
    return {
      say: `${count(s.proposed, 'proposed rule')} wait for review: open an application from the map and review its rules.`,
      links: [map, { href: '/rules', label: 'review rules' }],
    };
  if (!s.enforced)
    return {
      say: `${count(s.approved, 'rule is', 'rules are')} approved and no application is enforced yet: open an application, simulate what its rules would block, decide, and enforce it.`,
      links: [map, { href: '/applications', label: 'applications' }],
    };
  return {
    say: `${count(s.enforced, 'application environment is', 'application environments are')} enforced: export the policy to your enforcement points, and monitor it for drift.`,
    links: [map, ...(s.canExport ? [{ href: EXPORT_HREF, label: 'export' }] : []), { href: '/simulation?mode=monitor', label: 'monitor' }],
  };
}

/** The map: the selected application's page (or the workload's), else the list of applications. */
export function mapNext(selection: string | null): NextStep {
  if (selection?.startsWith('app:')) {
    const id = selection.slice(4);
    return { say: `Next: open ${id} to see its members, review its rules and set its enforcement.`, links: [{ href: appHref(id), label: `Open ${id}` }] };
  }
  if (selection?.startsWith('w:')) return { say: 'Next: open the selected workload, or select an application on the map.', links: [{ href: `/workloads/${enc(selection.slice(2))}`, label: 'Open the workload' }] };
  return { say: 'Next: select an application on the map (or pick one from the list) and open its page.', links: [{ href: '/applications', label: 'applications' }] };
}

export type StateName = 'visibility' | 'test' | 'enforced';

/**
 * An application's page: review its proposals, then simulate and decide, then enforce (its
 * enforcement card on the page), then export. Inferred groups are confirmed first: enforcement
 * belongs to an application record.
 */
export function applicationNext(a: { id: string; name: string; hasRecord: boolean; rules: { proposed: number; approved: number }; enforcement: ReadonlyArray<{ environment: string; state: StateName }> }): NextStep {
  // its review by application and environment: what reaches it and what it reaches (lib/policy/review.ts)
  const review = { href: `/rules?unit=${enc(a.id)}`, label: `Review the rules of ${a.id}` };
  const simulate = { href: `/simulation?policy=approved&enforcement=all&app=${enc(a.id)}`, label: 'Simulate its approved rules' };
  const card = { href: '#enforcement', label: 'Its enforcement' };
  if (!a.hasRecord) return { say: `${a.name} is inferred from traffic: confirm the grouping on this page first; rules and enforcement need a confirmed application.`, links: [{ href: '#grouping', label: 'Correct the grouping' }, review] };
  if (a.rules.proposed)
    return { say: `${count(a.rules.proposed, 'proposed rule')} of ${a.name} wait for review. Then simulate what they would block and decide before enforcing.`, links: [review, simulate, card] };
  if (!a.rules.approved) return { say: `${a.name} has no approved rules: propose and review them before enforcing.`, links: [review] };
  const open = a.enforcement.filter((e) => e.state !== 'enforced');
  if (!a.enforcement.length || open.length)
    return {
      say: `Its rules are reviewed (${count(a.rules.approved, 'approved rule')}). Next: simulate what they would block once enforced, decide on each blocked dependency, then set ${a.name} to test and to enforced${open.length && a.enforcement.length > 1 ? ` (${open.map((e) => e.environment || 'no env label').join(', ')} not yet)` : ''}.`,
      links: [simulate, card, review],
    };
  return { say: `${a.name} is enforced. Export the policy: every application not enforced is left open.`, links: [{ href: EXPORT_HREF, label: 'Export the policy' }, { href: '/simulation', label: 'Simulate as exported' }] };
}

/**
 * The simulation: what it would block leads to the applications' decisions and enforcement;
 * nothing blocked of the enforced applications leads to the export.
 */
export function simulationNext(r: { mode: 'as-set' | 'all'; enforced: readonly string[]; applications: ReadonlyArray<{ application: string; blockedAnsweredFlows: number }>; focus?: string | null }): NextStep {
  // opened from an application's page: back to that application's decisions and enforcement first
  if (r.focus) {
    const mine = r.applications.find((a) => a.application === r.focus)?.blockedAnsweredFlows ?? 0;
    const state = r.enforced.includes(r.focus) ? 'is enforced' : 'is not enforced yet';
    return {
      say: `${r.focus} ${state}; ${mine ? `${count(mine, 'answered flow')} to or from it would be blocked here: decide on each blocked dependency, then enforce it.` : 'none of its answered traffic would be blocked here: set it to test, then enforced.'}`,
      links: [{ href: `${appHref(r.focus)}#enforcement`, label: `Decide and enforce ${r.focus}` }, { href: EXPORT_HREF, label: 'Export' }],
    };
  }
  const blocking = r.applications.filter((a) => a.blockedAnsweredFlows > 0).sort((a, b) => b.blockedAnsweredFlows - a.blockedAnsweredFlows || a.application.localeCompare(b.application));
  const decide = blocking.slice(0, 3).map((a) => ({ href: `${appHref(a.application)}#enforcement`, label: `Decide for ${a.application}` }));
  if (r.mode === 'all') {
    if (blocking.length) return { say: `Enforced everywhere, these rules would block answered traffic of ${count(blocking.length, 'application')}: decide on each blocked dependency, then enforce application by application.`, links: [...decide, { href: '/simulation', label: 'Simulate as exported' }] };
    return { say: 'Enforced everywhere, these rules block no answered traffic: enforce the applications, then export.', links: [{ href: '/applications', label: 'Enforce applications' }, { href: EXPORT_HREF, label: 'Export' }] };
  }
  if (!r.enforced.length) return { say: 'No application is enforced, so nothing is blocked as exported: simulate with every application enforced, decide, and enforce one.', links: [{ href: '/simulation?enforcement=all', label: 'Simulate with every application enforced' }, { href: '/applications', label: 'applications' }] };
  if (blocking.length) return { say: `As exported, the enforced applications would lose answered traffic (${count(blocking.length, 'application')}): decide on it before exporting.`, links: [...decide, { href: EXPORT_HREF, label: 'Export anyway' }] };
  return { say: `As exported (${r.enforced.join(', ')} enforced), no answered traffic is blocked: export the policy.`, links: [{ href: EXPORT_HREF, label: 'Export the policy' }, { href: '/simulation?mode=monitor', label: 'monitor' }] };
}

/** The policy a simulation takes for an export's source (export "proposed" is simulated with the approved rules under it). */
const simulationPolicy = (source: string) => (source.startsWith('baseline:') ? source : source === 'approved' ? 'approved' : 'proposed');

/** The export page: an export that would drop observed traffic leads back to the simulation, with its figures. */
export function exportNext(s: { source: string; wouldBlock: { flows: number; dependencies: number } | null }): NextStep {
  const simulate = { href: `/simulation?policy=${enc(simulationPolicy(s.source))}`, label: 'Simulate this policy as exported' };
  if (s.wouldBlock)
    return {
      say: `This export would drop ${count(s.wouldBlock.flows, 'observed flow')} of enforced applications (${count(s.wouldBlock.dependencies, 'dependency', 'dependencies')}): see them in the simulation and decide before loading it.`,
      links: [simulate],
    };
  return { say: 'Nothing observed of the enforced applications would be dropped. Once loaded, monitor the policy for drift.', links: [{ href: '/simulation?mode=monitor', label: 'Monitor the approved policy' }, simulate] };
}
