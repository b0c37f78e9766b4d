// The policy verdict of every dependency of the map (components/data/overlay.ts explains the
// four verdicts). Rules are evaluated with lib/policy's selectors and ports against each
// dependency's endpoints: workloads by their effective labels (the policy view), networks and
// addresses by a representative address of the range.
import type { AnalysisResult } from '../../lib/analysis/types';
import type { Db } from '../../lib/db';
import { parseCidr } from '../../lib/flow/cidr';
import { loadPolicyView } from '../../lib/policy/labels';
import { portsAllow } from '../../lib/policy/ports';
import { policyRules } from '../../lib/policy/rules';
import { cidrMatcher, selectsAddress, selectsWorkload, type CidrMatcher, type PolicyWorkload } from '../../lib/policy/selectors';
import { isCidr, type Rule } from '../../lib/policy/model';
import { edgeKey, type PolicyOverlay, type Verdict } from '../../components/data/overlay';

/** An address that stands for an endpoint key: the address itself, or one inside the range (public for the internet). */
export function representativeAddress(key: string): string {
  if (key === '0.0.0.0/0') return '192.0.2.1';
  if (key === '::/0') return '2001:db8::1';
  if (!key.includes('/')) return key;
  try {
    const c = parseCidr(key);
    return c.family === 'ipv4' ? key.split('/')[0]!.replace(/\.0$/, '.1') : key.split('/')[0]!.replace(/::$/, '::1');
  } catch {
    return key.split('/')[0]!;
  }
}

interface Compiled {
  rule: Rule;
  from?: CidrMatcher;
  to?: CidrMatcher;
}

export async function policyOverlay(db: Db, result: AnalysisResult): Promise<PolicyOverlay> {
  const [approved, all, view] = await Promise.all([policyRules(db, 'approved'), policyRules(db, 'proposed'), loadPolicyView(db, { window: result.window, all: true })]);
  const compile = (r: Rule): Compiled => ({ rule: r, from: isCidr(r.from) ? cidrMatcher(r.from) : undefined, to: isCidr(r.to) ? cidrMatcher(r.to) : undefined });
  const ap = approved.map(compile);
  const pr = all.filter((r) => r.status === 'proposed').map(compile);
  const ws = new Map<string, PolicyWorkload>(view.workloads.map((w) => [w.id, w]));

  const sideSelects = (c: Compiled, which: 'from' | 'to', endpoint: string) => {
    const s = c.rule[which];
    const w = ws.get(endpoint);
    return w ? selectsWorkload(s, w, c[which]) : selectsAddress(s, representativeAddress(endpoint));
  };
  const allows = (c: Compiled, e: AnalysisResult['edges'][number]) => portsAllow(c.rule.ports, e.protocol, e.port) && sideSelects(c, 'from', e.from) && sideSelects(c, 'to', e.to);
  // Servers under approved policy: some approved rule lets something reach them.
  const governed = new Map<string, boolean>();
  const underPolicy = (server: string) => {
    let g = governed.get(server);
    if (g === undefined) {
      g = ap.some((c) => sideSelects(c, 'to', server));
      governed.set(server, g);
    }
    return g;
  };

  const verdicts: Record<string, Verdict> = {};
  const counts: Record<Verdict, number> = { allowed: 0, proposed: 0, blocked: 0, norule: 0 };
  for (const e of result.edges) {
    const v: Verdict = ap.some((c) => allows(c, e)) ? 'allowed' : pr.some((c) => allows(c, e)) ? 'proposed' : underPolicy(e.to) ? 'blocked' : 'norule';
    verdicts[edgeKey(e)] = v;
    counts[v]++;
  }
  return {
    window: { from: result.window.from.toISOString(), to: result.window.to.toISOString() },
    rules: { approved: ap.length, proposed: pr.length },
    verdicts,
    counts,
  };
}
