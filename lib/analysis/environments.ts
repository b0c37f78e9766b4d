// Which environment a workload belongs to: its env label when it has one; else what its
// hostname says (orders-api-02-stg); else what its neighbours in the address plan say (most
// estates give each environment its own ranges: a /24, then a /16, where at least three known
// workloads agree at 80%); else, after clustering, what the rest of its application says.
import { cmp } from './cmp';
import type { ValueSource } from './types';

export interface EnvInput {
  id: string;
  /** label value when labels are used */
  label: string | null;
  /** hostname hint when names are used */
  hint: string | null;
  addresses: readonly string[];
}

export interface EnvValue {
  env: string | null;
  source: ValueSource;
  confidence: number;
}

function prefixes(addr: string): string[] {
  if (addr.includes(':')) {
    const groups = addr.split(':');
    return [groups.slice(0, 4).join(':') + '::/64', groups.slice(0, 3).join(':') + '::/48'];
  }
  const o = addr.split('.');
  return [`${o[0]}.${o[1]}.${o[2]}.0/24`, `${o[0]}.${o[1]}.0.0/16`];
}

export function inferEnvironments(nodes: readonly EnvInput[]): Map<string, EnvValue> {
  const out = new Map<string, EnvValue>();
  const known: Array<[EnvInput, string]> = [];
  for (const n of nodes) {
    if (n.label) {
      out.set(n.id, { env: n.label, source: 'label', confidence: 1 });
      known.push([n, n.label]);
    } else if (n.hint) {
      out.set(n.id, { env: n.hint, source: 'inferred', confidence: 0.8 });
      known.push([n, n.hint]);
    }
  }
  // votes per prefix, at two sizes (most specific first)
  const votes: Array<Map<string, Map<string, number>>> = [new Map(), new Map()];
  for (const [n, env] of known) {
    for (const a of n.addresses) {
      prefixes(a).forEach((p, level) => {
        let m = votes[level]!.get(p);
        if (!m) votes[level]!.set(p, (m = new Map()));
        m.set(env, (m.get(env) ?? 0) + 1);
      });
    }
  }
  for (const n of nodes) {
    if (out.has(n.id)) continue;
    let found: EnvValue | null = null;
    for (const a of n.addresses) {
      const ps = prefixes(a);
      for (let level = 0; level < ps.length && !found; level++) {
        const m = votes[level]!.get(ps[level]!);
        if (!m) continue;
        const total = [...m.values()].reduce((s, x) => s + x, 0);
        const [env, count] = [...m.entries()].sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]))[0]!;
        if (total >= 3 && count / total >= 0.8) found = { env, source: 'inferred', confidence: level === 0 ? 0.7 : 0.6 };
      }
      if (found) break;
    }
    out.set(n.id, found ?? { env: null, source: 'inferred', confidence: 0 });
  }
  return out;
}

/** Fill unknown environments from the other members of the same application (majority). */
export function fillFromGroups(envs: Map<string, EnvValue>, groups: Iterable<readonly string[]>): void {
  for (const members of groups) {
    const counts = new Map<string, number>();
    for (const id of members) {
      const e = envs.get(id)?.env;
      if (e) counts.set(e, (counts.get(e) ?? 0) + 1);
    }
    if (!counts.size) continue;
    const [env, count] = [...counts.entries()].sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]))[0]!;
    const total = [...counts.values()].reduce((s, x) => s + x, 0);
    for (const id of members) {
      const cur = envs.get(id);
      if (!cur || cur.env === null) envs.set(id, { env, source: 'inferred', confidence: Math.round((0.5 * count) / total * 100) / 100 });
    }
  }
}
