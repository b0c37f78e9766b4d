// The policy overlay of the map (GET /api/v1/map/policy): the verdict of every dependency of a
// window's analysis under the approved and proposed rules. Rules are evaluated with lib/policy's
// selectors and ports against each dependency's endpoints: workloads by their effective labels
// (the policy view), networks and addresses by a representative address of the range.
import type { AnalysisResult } from '../analysis/types';
import type { Db } from '../db';
import { parseCidr } from '../flow/cidr';
import { loadPolicyView } from '../policy/labels';
import { portsAllow } from '../policy/ports';
import { policyRules } from '../policy/rules';
import { cidrMatcher, selectsAddress, selectsWorkload, type CidrMatcher, type PolicyWorkload } from '../policy/selectors';
import { isCidr, type Rule } from '../policy/model';
import { edgeKey } from './map';

/**
 * allowed: an approved rule allows it; proposed: only a proposed rule does (approval pending);
 * blocked: the server is under approved policy but nothing approved allows this (enforcing the
 * approved policy would break it); norule: no rule allows it and the server is not under approved
 * policy yet.
 */
export type Verdict = 'allowed' | 'proposed' | 'blocked' | 'norule';

export interface PolicyOverlay {
  window: { from: string; to: string };
  rules: { approved: number; proposed: number };
  /** key `${from}|${to}|${protocol}|${port}` of each dependency of the map (edgeKey) -> verdict */
  verdicts: Record<string, Verdict>;
  counts: Record<Verdict, number>;
}

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
