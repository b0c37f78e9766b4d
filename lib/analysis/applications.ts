// Applications from communication structure, with labels and hostnames weighed against it.
//
// Structure decides first: the communities of ./cluster.ts. Evidence then names them, and may
// join or divide them only where structure does not disagree:
//
//  1. Labels a person set (or a confirmed suggestion) decide their workload, always.
//  2. Inventory `app` labels hold a community when at least two of its members carry the value,
//     or when the community is where most of the value's bearers are. A bearer elsewhere is a
//     stray: it joins its label's community when it talks more to it than to its own, and
//     otherwise stays where structure put it (a stale or copied tag), and the conflict is said.
//     A value that holds several communities is one application (labels are facts); a community
//     several values hold is divided between them along its strongest connections.
//  3. A hostname stem names a community when it is the stem most of its named members share.
//     It may join the communities it names (an application Louvain cut in two) only when they
//     talk to each other and the join does not lower modularity: a stem whose communities
//     structure keeps apart is a code shared by unrelated machines (an environment, OS or site
//     code: prdlx, stgwn) and is no evidence at all: it neither joins nor names.
//  4. Otherwise a community keeps the name discovery gave it before, when most of its members
//     bear it (./previous-names.ts: previous names only name, they never decide membership), or
//     is named after its anchor: the member with the most distinct peers inside it, ties by
//     hostname (app-<hostname>). Distinct peers, not traffic volume: an hour more or less of
//     traffic must not rename an application.
//  5. Each application has one environment: its members' evidence by majority (env labels,
//     hostnames, the address plan), synonyms counted together (prd = prod); a member whose own
//     env label says otherwise is an application of its own in that environment.
//  6. Applications named alike that were not joined get "-2", "-3" (a label first, then a kept
//     name, then the larger, then the one whose first hostname sorts first).
//
// Every application says why it is what it is (`evidence`), and every member how sure it is.
import type { EnvValue } from './environments';
import type { Grouping } from './cluster';
import { cmp } from './cmp';
import { canonicalEnv, isVocabularyWord } from './names';
import { keepPreviousNames } from './previous-names';
import type { ValueSource } from './types';

export interface AppNode {
  id: string;
  /** hostname */
  name: string;
  /** the `app` label (when labels are used) */
  label: string | null;
  /** the label was set by a person or is a confirmed suggestion: it decides, whatever structure says */
  labelDecided: boolean;
  /** hostname stem (when names are used) */
  stem: string | null;
  /** environment evidence of the workload alone (label, hostname, address plan) */
  env: EnvValue;
}

export interface AppAssignment {
  /** application name (without environment) */
  name: string;
  env: string | null;
  /** 'label' when the workload's own app label decided */
  source: ValueSource;
  /** where the environment came from: its own env label, or the application's evidence */
  envSource: ValueSource;
  confidence: number;
  /** the application's id: name, or name@env */
  id: string;
}

export interface AppEvidence {
  id: string;
  evidence: string[];
}

interface Unit {
  /** the community it came from (several for joined communities) */
  communities: Set<number>;
  members: string[];
  name: string;
  /** how the name was found ('previous': kept from an earlier analysis) */
  by: 'label' | 'stem' | 'anchor' | 'previous';
}

const sum = (xs: Iterable<number>) => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

/**
 * `outside`: app label values borne by workloads that are not in these communities (shared
 * services, jump hosts) and how many bear them: a value at home there holds no community here.
 * `previous`: the application name each workload was saved under by an earlier analysis (an
 * unconfirmed suggestion): it may name a community nothing else names, never place a workload.
 */
export function assignApplications(
  given: readonly AppNode[],
  structure: Grouping,
  outside: ReadonlyMap<string, number> = new Map(),
  previous: ReadonlyMap<string, string> = new Map(),
): { byNode: Map<string, AppAssignment>; applications: AppEvidence[] } {
  const named = stemFamilies(given, structure);
  const grouping = splitByNames(named, structure);
  const nodes = stemFamilies(given, grouping);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const adj = (id: string) => grouping.adjacency.get(id) ?? new Map<string, number>();
  const communityOf = (id: string) => grouping.community.get(id)!;
  const communities = membersByCommunity(nodes, grouping);
  const notes = new Map<string, string[]>();
  const note = (id: string, text: string) => notes.set(id, [...(notes.get(id) ?? []), text]);

  // --- 1 and 2: labels -------------------------------------------------------------------------
  const { labelOf, holds } = decideLabels(nodes, communities, communityOf, adj, note, outside);
  // --- 3: stems that are names ------------------------------------------------------------------
  const q = modularity(grouping);
  const communityEnv = new Map<number, string | null>([...communities].map(([c, ms]) => [c, majorityEnv(ms.map((id) => byId.get(id)!.env)).env]));
  const { valid: validStems, codes } = stemsThatName(nodes, communities, labelOf, communityEnv, q);

  // --- units: communities divided between the names that hold them --------------------------
  const units: Unit[] = [];
  for (const [c, members] of communities) {
    for (const u of divide(c, members, labelOf, (l) => holds(l, c), validStems, codes, byId, adj)) units.push(u);
  }
  // stray bearers that follow their label to another community were left out of their own
  const placed = new Set(units.flatMap((u) => u.members));
  for (const n of nodes) if (!placed.has(n.id)) units.push({ communities: new Set([communityOf(n.id)]), members: [n.id], name: labelOf.get(n.id)!, by: 'label' });
  followStems(nodes, units, labelOf, adj);
  // --- 4: what no evidence names keeps its previous name where it is the same application -----
  const anchored = units.filter((u) => u.by === 'anchor');
  const evidenced = new Set(units.filter((u) => u.by !== 'anchor').map((u) => u.name));
  keepPreviousNames(anchored, previous, evidenced, (id) => byId.get(id)!.name).forEach((name, i) => {
    if (name) Object.assign(anchored[i]!, { name, by: 'previous' });
  });

  // --- 5: environments, and a member whose own env label differs is its own application ------
  const byNode = new Map<string, AppAssignment>();
  const stemKey = joinStemUnits(units, byId, communities, q);
  const apps = new Map<string, { unitKeys: Set<string>; members: string[]; name: string; env: string | null; by: Unit['by'] }>();
  units.forEach((u, i) => {
    const env = majorityEnv(u.members.map((id) => byId.get(id)!.env));
    for (const id of u.members) {
      const own = byId.get(id)!.env;
      const mine = own.source === 'label' && own.env ? canonicalEnv(own.env) : null;
      const theirs = env.env ? canonicalEnv(env.env) : null;
      const split = Boolean(mine && theirs && mine !== theirs);
      const e = split ? own.env! : env.env;
      // a label names one application per environment; a stem its units that joinStemUnits
      // joined; an anchor its unit
      const key = u.by === 'label' ? `L\u0000${u.name}\u0000${e ?? ''}` : `${stemKey.get(u) ?? `U${i}`}\u0000${e ?? ''}`;
      let a = apps.get(key);
      if (!a) apps.set(key, (a = { unitKeys: new Set(), members: [], name: u.name, env: e, by: u.by }));
      a.members.push(id);
      a.unitKeys.add(String(i));
    }
  });

  // --- 6: names that collide get suffixes; a label, a kept name, then the largest keeps it ----
  const taken = new Map<string, Array<{ members: string[]; by: Unit['by']; key: string }>>();
  for (const [key, a] of apps) {
    const k = `${a.name}\u0000${a.env ?? ''}`;
    taken.set(k, [...(taken.get(k) ?? []), { members: a.members, by: a.by, key }]);
  }
  const finalName = new Map<string, string>();
  const firstHost = (members: readonly string[]) => members.map((m) => byId.get(m)!.name).sort(cmp)[0]!;
  const rank = (by: Unit['by']) => (by === 'label' ? 0 : by === 'previous' ? 1 : 2);
  for (const [k, list] of taken) {
    list.sort((x, y) => rank(x.by) - rank(y.by) || y.members.length - x.members.length || cmp(firstHost(x.members), firstHost(y.members)));
    const env = k.slice(k.indexOf('\u0000'));
    let n = 1;
    for (const [i, x] of list.entries()) {
      const base = apps.get(x.key)!.name;
      if (i > 0) {
        // a suffixed name another application already bears (a kept "app-x-2") is skipped
        do n++;
        while (taken.has(`${base}-${n}${env}`));
      }
      finalName.set(x.key, i === 0 ? base : `${base}-${n}`);
    }
  }

  const assignedName = new Map<string, string>();
  for (const [key, a] of apps) for (const id of a.members) assignedName.set(id, `${finalName.get(key)}\u0000${a.env ?? ''}`);
  const applications: AppEvidence[] = [];
  for (const [key, a] of apps) {
    const name = finalName.get(key)!;
    const id = a.env ? `${name}@${a.env}` : name;
    const labelled = a.members.filter((m) => byId.get(m)!.label === a.name).length;
    const stemmed = a.members.filter((m) => byId.get(m)!.stem === a.name).length;
    const inside = a.members.map((m) => strength(m, adj, (p) => assignedName.get(p) === assignedName.get(m)));
    for (const m of a.members) {
      const n = byId.get(m)!;
      const s = strength(m, adj, (p) => assignedName.get(p) === assignedName.get(m));
      const ownLabel = n.label !== null && labelOf.get(m) === n.label && n.label === a.name;
      const agreement = ownLabel ? 1 : a.by === 'label' ? labelled / a.members.length : a.by === 'stem' ? (n.stem === a.name ? 1 : stemmed / a.members.length) : a.members.length > 1 ? 0.6 : 0.3;
      const confidence = ownLabel ? 1 : Math.round(Math.min(0.99, Math.max(0.05, n.stem === a.name ? Math.max(0.9, 0.6 * s + 0.4 * agreement) : 0.6 * s + 0.4 * agreement)) * 100) / 100;
      const envSource: ValueSource = n.env.source === 'label' && n.env.env === a.env ? 'label' : 'inferred';
      byNode.set(m, { name, env: a.env, source: ownLabel ? 'label' : 'inferred', envSource, confidence, id });
    }
    const evidence = [
      `structure: ${a.members.length} member${a.members.length === 1 ? '' : 's'}, ${Math.round((sum(inside) / Math.max(1, inside.length)) * 100)}% of their connection weight inside`,
    ];
    if (a.by === 'label') evidence.push(`labels: ${labelled} of ${a.members.length} carry app=${a.name}`);
    if (a.by === 'stem') evidence.push(`hostnames: "${a.name}" in ${stemmed} of ${a.members.length} names`);
    if (a.by === 'anchor') evidence.push(`no label or hostname names it: named after its member with most distinct peers`);
    if (a.by === 'previous') evidence.push(`no label or hostname names it: keeps the name discovery gave it before (${a.members.filter((m) => previous.get(m) === a.name).length} of ${a.members.length} members bore it)`);
    for (const m of a.members) for (const t of notes.get(m) ?? []) evidence.push(t);
    applications.push({ id, evidence });
  }
  return { byNode, applications };
}

/** Modularity a split needs when the names of its parts agree with it (SPLIT_MODULARITY without). */
export const NAMED_SPLIT_MODULARITY = 0.1;

/**
 * Structure alone keeps a community whole when its own split is weak (./cluster.ts); when the
 * parts of that split carry different names (labels or hostname stems that are not codes), and
 * none of them shares a name with another, the names tip it: two applications that talk a lot,
 * told apart by what they are called. A tiered application whose tiers share its name stays whole.
 */
function splitByNames(nodes: readonly AppNode[], structure: Grouping): Grouping {
  if (!structure.declined.size) return structure;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const communities = membersByCommunity(nodes, structure);
  const envs = new Map([...communities].map(([c, ms]) => [c, majorityEnv(ms.map((id) => byId.get(id)!.env)).env]));
  const { codes } = stemsThatName(nodes, communities, new Map(nodes.map((n) => [n.id, n.label])), envs, modularity(structure));
  const nameOf = (id: string) => {
    const n = byId.get(id);
    if (!n) return null;
    return n.label ?? (n.stem && !codes.has(n.stem) ? n.stem : null);
  };
  const community = new Map(structure.community);
  let next = Math.max(-1, ...community.values()) + 1;
  for (const d of structure.declined.values()) {
    if (d.modularity < NAMED_SPLIT_MODULARITY) continue;
    const bearers = d.parts.map((p) => p.map(nameOf).filter((x): x is string => x !== null));
    const names = bearers.map((b) => new Set(b));
    const disjoint = names.every((a, i) => names.every((b, j) => i === j || [...a].every((x) => !b.has(x))));
    // each part one name or none, a name borne by two members at least: one tag is too little to cut on
    if (!disjoint || names.some((x) => x.size > 1) || !bearers.some((b) => b.length >= 2) || bearers.some((b) => b.length === 1)) continue;
    for (const p of d.parts.slice(1)) {
      for (const id of p) community.set(id, next);
      next++;
    }
  }
  return { ...structure, community };
}

/**
 * Within a community, a stem that extends another stem or an app label there is the same
 * application with a tier word the vocabulary lacks: `corp-marketing-site-mc` (memcached),
 * `rating-as` (application server) and `docsdbs` are `corp-marketing-site`, `rating` and `docs`.
 */
function stemFamilies(nodes: readonly AppNode[], grouping: Grouping): AppNode[] {
  const names = new Map<number, Set<string>>();
  for (const n of nodes) {
    const c = grouping.community.get(n.id)!;
    let set = names.get(c);
    if (!set) names.set(c, (set = new Set()));
    if (n.stem) set.add(n.stem);
    if (n.label) set.add(n.label);
  }
  const glued = gluedFamilies(names);
  return nodes.map((n) => {
    if (!n.stem) return n;
    const c = grouping.community.get(n.id)!;
    const base = [...names.get(c)!].filter((x) => x !== n.stem && (n.stem!.startsWith(`${x}-`) || (x.length >= 4 && n.stem!.startsWith(x)))).sort((a, b) => a.length - b.length)[0];
    const family = base ?? glued.get(c)?.get(n.stem);
    return family ? { ...n, stem: family } : n;
  });
}

/** Stems of one community that share this much of a beginning... */
const FAMILY_PREFIX_MIN = 3;
/** ...and differ by at most this much at the end... */
const FAMILY_TAIL_MAX = 4;
/** ...are one family when at least this many do. */
const FAMILY_MIN_STEMS = 3;

/**
 * Short names glue tier abbreviations no vocabulary holds to a short application word
 * (`omsapp`, `omsmq`, `omsmy`, `omswrk`): several stems of one community that share a beginning
 * and differ only by a short end are one family named by what they share. Per community, so
 * structure has already said they belong together; two stems alone are not enough to tell a
 * family from a coincidence. A stem of another community that is a family's name with a short
 * end (`omswrk` where Louvain set the workers apart) carries the family's name too, so that
 * followStems can bring it home if it talks to it. A shared beginning that is itself a tier or
 * environment word (`prd` of `prdlx`, `prdwn`) names nothing.
 */
function gluedFamilies(names: ReadonlyMap<number, ReadonlySet<string>>): Map<number, Map<string, string>> {
  const prefixes = (x: string) => {
    const ps: string[] = [];
    for (let k = Math.max(FAMILY_PREFIX_MIN, x.length - FAMILY_TAIL_MAX); k <= x.length; k++) if (!isVocabularyWord(x.slice(0, k))) ps.push(x.slice(0, k));
    return ps;
  };
  const stemsOf = (set: ReadonlySet<string>) => [...set].filter((x) => /^[a-z]+$/.test(x));
  const out = new Map<number, Map<string, string>>();
  const families = new Set<string>();
  for (const [c, set] of names) {
    const stems = stemsOf(set);
    const bearers = new Map<string, number>();
    for (const x of stems) for (const p of prefixes(x)) bearers.set(p, (bearers.get(p) ?? 0) + 1);
    const map = new Map<string, string>();
    for (const x of stems) {
      // a stem that is itself the shared beginning (`tstoms` beside `tstomsmq`) names the family
      const best = prefixes(x).filter((p) => bearers.get(p)! >= FAMILY_MIN_STEMS).sort((a, b) => b.length - a.length)[0];
      if (!best) continue;
      families.add(best);
      if (best !== x) map.set(x, best);
    }
    out.set(c, map);
  }
  for (const [c, set] of names) {
    const map = out.get(c)!;
    for (const x of stemsOf(set)) {
      if (map.has(x) || families.has(x)) continue;
      const family = prefixes(x).filter((p) => p !== x && families.has(p)).sort((a, b) => b.length - a.length)[0];
      if (family) map.set(x, family);
    }
  }
  return out;
}

/**
 * A member whose hostname names an application Louvain placed elsewhere (a worker that reads
 * another application's database more than it talks to its own) joins its name's application
 * when it talks to it at all: the name is the tie-breaker structure could not give.
 */
function followStems(nodes: readonly AppNode[], units: Unit[], labelOf: Map<string, string | null>, adj: (id: string) => Map<string, number>): void {
  const unitOf = new Map<string, Unit>();
  for (const u of units) for (const m of u.members) unitOf.set(m, u);
  const named = new Map<string, Unit[]>();
  for (const u of units) if (u.by === 'stem') named.set(u.name, [...(named.get(u.name) ?? []), u]);
  for (const n of nodes) {
    if (!n.stem || labelOf.get(n.id)) continue;
    const own = unitOf.get(n.id)!;
    // a member of its name's application stays; one set apart alone under its name may join it
    if (own.name === n.stem && own.members.length > 1) continue;
    let best: Unit | null = null;
    let bestWeight = 0;
    for (const u of named.get(n.stem) ?? []) {
      if (u === own) continue;
      let w = 0;
      for (const [p, x] of adj(n.id)) if (unitOf.get(p) === u) w += x;
      if (w > bestWeight) [best, bestWeight] = [u, w];
    }
    if (!best) continue;
    own.members.splice(own.members.indexOf(n.id), 1);
    best.members.push(n.id);
    unitOf.set(n.id, best);
  }
  for (let i = units.length - 1; i >= 0; i--) if (!units[i]!.members.length) units.splice(i, 1);
}

function membersByCommunity(nodes: readonly AppNode[], grouping: Grouping): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const n of nodes) {
    const c = grouping.community.get(n.id)!;
    let m = out.get(c);
    if (!m) out.set(c, (m = []));
    m.push(n.id);
  }
  return out;
}

/** Share of a workload's connection weight that goes to workloads `same` accepts (0.3 without connections). */
function strength(id: string, adj: (id: string) => Map<string, number>, same: (peer: string) => boolean): number {
  let inside = 0;
  let total = 0;
  for (const [p, w] of adj(id)) {
    total += w;
    if (same(p)) inside += w;
  }
  return total > 0 ? inside / total : 0.3;
}

/**
 * The label each workload's application follows (null: none). Decided labels always; inventory
 * labels where they hold the community or pull their bearer more than structure holds it.
 */
function decideLabels(
  nodes: readonly AppNode[],
  communities: Map<number, string[]>,
  communityOf: (id: string) => number,
  adj: (id: string) => Map<string, number>,
  note: (id: string, text: string) => void,
  outside: ReadonlyMap<string, number>,
): { labelOf: Map<string, string | null>; holds: (v: string, c: number) => boolean } {
  const out = new Map<string, string | null>();
  const counts = new Map<string, Map<number, number>>();
  for (const n of nodes) {
    if (!n.label) continue;
    let m = counts.get(n.label);
    if (!m) counts.set(n.label, (m = new Map()));
    m.set(communityOf(n.id), (m.get(communityOf(n.id)) ?? 0) + 1);
  }
  const home = new Map<string, number>();
  for (const [v, m] of counts) {
    const [c, k] = [...m.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    // at home among the shared services: no community here is its home
    home.set(v, (outside.get(v) ?? 0) >= k ? -1 : c);
  }
  const holds = (v: string, c: number) => (counts.get(v)?.get(c) ?? 0) >= 2 || home.get(v) === c;
  const weightTo = (id: string, c: number) => sum([...adj(id)].filter(([p]) => communityOf(p) === c).map(([, w]) => w));
  for (const n of nodes) {
    if (!n.label) {
      out.set(n.id, null);
      continue;
    }
    const c = communityOf(n.id);
    if (n.labelDecided || holds(n.label, c)) {
      out.set(n.id, n.label);
      continue;
    }
    const h = home.get(n.label)!;
    const toHome = weightTo(n.id, h);
    // a tag at home among the shared services (a WSUS server tagged like the package mirror)
    // names a service the structure of applications cannot see: the tag decides, unless the
    // bearer belongs to its community beyond doubt (most of its traffic stays there)
    const total = sum(adj(n.id).values());
    const outsideHome = h === -1 && weightTo(n.id, c) * 2 < total;
    if (outsideHome || (toHome > 0 && toHome >= weightTo(n.id, c))) {
      out.set(n.id, n.label);
      continue;
    }
    // structure wins over a tag that its bearer's connections contradict
    out.set(n.id, null);
    const ownLabel = (communities.get(c) ?? []).map((id) => nodes.find((x) => x.id === id)?.label).find((l) => l && holds(l, c));
    note(n.id, `label conflict: ${n.name} carries app=${n.label}, but talks to ${ownLabel ? `app=${ownLabel}` : 'this application'} and not to the other bearers of app=${n.label}; structure decided`);
  }
  return { labelOf: out, holds };
}

/** Modularity bookkeeping over the structural graph: degrees and the gain of joining communities. */
function modularity(grouping: Grouping) {
  const degree = new Map<string, number>();
  let twoM = 0;
  for (const [id, peers] of grouping.adjacency) {
    const d = sum(peers.values());
    degree.set(id, d);
    twoM += d;
  }
  const m = twoM / 2;
  /** ΔQ of joining these communities into one */
  const joinGain = (cs: readonly number[], members: Map<number, string[]>): number => {
    if (m === 0 || cs.length < 2) return 0;
    const set = new Set(cs);
    const d = new Map(cs.map((c) => [c, sum((members.get(c) ?? []).map((id) => degree.get(id) ?? 0))]));
    let between = 0;
    for (const c of cs) {
      for (const id of members.get(c) ?? []) {
        for (const [p, w] of grouping.adjacency.get(id) ?? []) {
          const pc = grouping.community.get(p);
          if (pc !== undefined && pc !== c && set.has(pc)) between += w;
        }
      }
    }
    between /= 2;
    let expected = 0;
    for (let i = 0; i < cs.length; i++) for (let j = i + 1; j < cs.length; j++) expected += (d.get(cs[i]!)! * d.get(cs[j]!)!) / (2 * m * m);
    return between / m - expected;
  };
  /** every community has some connection to the others: a name joins parts that talk, never strangers */
  const connected = (cs: readonly number[], members: Map<number, string[]>): boolean => {
    const set = new Set(cs);
    return cs.every((c) =>
      (members.get(c) ?? []).some((id) => [...(grouping.adjacency.get(id) ?? new Map<string, number>()).keys()].some((p) => {
        const pc = grouping.community.get(p);
        return pc !== undefined && pc !== c && set.has(pc);
      })),
    );
  };
  return { joinGain, connected };
}

/**
 * Stems that name applications. A stem is a candidate in the communities where it is the stem
 * most named members share; when those communities are several in one environment, joining them
 * must not lower modularity, else the stem is a code shared by unrelated machines.
 */
function stemsThatName(
  nodes: readonly AppNode[],
  communities: Map<number, string[]>,
  labelOf: Map<string, string | null>,
  communityEnv: Map<number, string | null>,
  q: ReturnType<typeof modularity>,
): { valid: Set<string>; codes: Set<string> } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const held = new Map<string, Map<string, number[]>>();
  for (const [c, members] of communities) {
    const counts = new Map<string, number>();
    for (const id of members) {
      const s = byId.get(id)!.stem;
      if (s && !labelOf.get(id)) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (!top) continue;
    // every stem with two bearers here is a candidate; so is a lone stem of a lone member
    for (const [s, k] of counts) {
      if (k < 2 && !(members.length === 1 || s === top[0])) continue;
      const env = canonicalEnv(communityEnv.get(c) ?? '') ?? '';
      let byEnv = held.get(s);
      if (!byEnv) held.set(s, (byEnv = new Map()));
      byEnv.set(env, [...(byEnv.get(env) ?? []), c]);
    }
  }
  const valid = new Set<string>();
  const codes = new Set<string>();
  for (const [s, byEnv] of held) {
    if ([...byEnv.values()].every((cs) => cs.length < 2 || (q.joinGain(cs, communities) >= 0 && q.connected(cs, communities)))) valid.add(s);
    else codes.add(s);
  }
  return { valid, codes };
}

/**
 * Units a stem names in one environment are one application when their communities talk to each
 * other and joining them does not lower modularity (an application Louvain cut in two, its
 * workers set apart from its tiers); otherwise each stays its own (and gets "-2" later).
 */
function joinStemUnits(units: readonly Unit[], byId: Map<string, AppNode>, communities: Map<number, string[]>, q: ReturnType<typeof modularity>): Map<Unit, string> {
  const groups = new Map<string, Unit[]>();
  for (const u of units) {
    if (u.by !== 'stem') continue;
    const env = canonicalEnv(majorityEnv(u.members.map((id) => byId.get(id)!.env)).env ?? '') ?? '';
    const k = `${u.name}\u0000${env}`;
    groups.set(k, [...(groups.get(k) ?? []), u]);
  }
  const key = new Map<Unit, string>();
  for (const [k, us] of groups) {
    const cs = [...new Set(us.flatMap((u) => [...u.communities]))];
    if (us.length < 2 || cs.length < 2 || !(q.joinGain(cs, communities) >= 0 && q.connected(cs, communities))) continue;
    for (const u of us) key.set(u, `S\u0000${k}`);
  }
  return key;
}

/** A community's members divided between the labels and stems that hold it, or named after its anchor. */
function divide(
  c: number,
  members: readonly string[],
  labelOf: Map<string, string | null>,
  holdsHere: (label: string) => boolean,
  validStems: Set<string>,
  codes: Set<string>,
  byId: Map<string, AppNode>,
  adj: (id: string) => Map<string, number>,
): Unit[] {
  // members whose label is at home in another community (or among the shared services) leave
  // this one and lead nobody along,
  // and so do labelled members of another environment (a shared server an application uses)
  const env = canonicalEnv(majorityEnv(members.map((id) => byId.get(id)!.env)).env ?? '');
  const elsewhere = (id: string) => {
    const own = byId.get(id)!.env;
    return own.source === 'label' && own.env !== null && env !== null && canonicalEnv(own.env) !== null && canonicalEnv(own.env) !== env;
  };
  const stays = members.filter((id) => {
    const l = labelOf.get(id);
    return !l || (holdsHere(l) && !elsewhere(id));
  });
  if (!stays.length) return [];
  const seeds = new Map<string, string>();
  let by: Unit['by'] = 'anchor';
  for (const id of stays) {
    const l = labelOf.get(id);
    if (l) seeds.set(id, l);
  }
  if (seeds.size) by = 'label';
  // an unlabelled member whose hostname names an application labelled here belongs to it
  const labelled = new Set(seeds.values());
  for (const id of stays) {
    const st = byId.get(id)!.stem;
    if (!seeds.has(id) && st && labelled.has(st)) seeds.set(id, st);
  }
  // stems no labelled member here carries are applications of their own (two applications Louvain joined)
  const labelStems = new Set([...seeds.keys()].map((id) => byId.get(id)!.stem).filter(Boolean));
  const stemCount = new Map<string, number>();
  for (const id of stays) {
    const s = byId.get(id)!.stem;
    if (!seeds.has(id) && s && validStems.has(s) && !labelStems.has(s)) stemCount.set(s, (stemCount.get(s) ?? 0) + 1);
  }
  const majors = [...stemCount.entries()].filter(([, k]) => k >= 2 || (stays.length === 1 && k === 1));
  // in a community its names explain, a machine named otherwise is something else the
  // application uses (its NAS, a proxy, WSUS): an application of its own
  const names = new Set([...seeds.values(), ...majors.map(([m]) => m)]);
  const loners: Unit[] = [];
  if (names.size) {
    for (const id of [...stays]) {
      const st = byId.get(id)!.stem;
      if (seeds.has(id) || !st || codes.has(st) || names.has(st) || stays.some((o) => o !== id && byId.get(o)!.stem === st)) continue;
      stays.splice(stays.indexOf(id), 1);
      loners.push({ communities: new Set([c]), members: [id], name: st, by: 'stem' });
    }
  }
  if (!seeds.size && majors.length === 1) {
    return [{ communities: new Set([c]), members: [...stays], name: majors[0]![0], by: 'stem' }, ...loners];
  }
  for (const id of stays) {
    const s = byId.get(id)!.stem;
    if (!seeds.has(id) && s && majors.some(([m]) => m === s)) seeds.set(id, s);
  }
  if (!seeds.size) {
    // distinct peers inside, not traffic weight: an hour more or less of traffic changes weights, rarely who talks to whom
    const inside = new Set(stays);
    const peers = (id: string) => [...adj(id).keys()].filter((p) => inside.has(p)).length;
    const anchor = [...stays].sort((a, b) => peers(b) - peers(a) || cmp(byId.get(a)!.name, byId.get(b)!.name) || cmp(a, b))[0]!;
    return [{ communities: new Set([c]), members: [...stays], name: `app-${byId.get(anchor)!.name.toLowerCase()}`, by: 'anchor' }];
  }
  if (!by || by === 'anchor') by = 'stem';
  const assigned = propagate(stays, seeds, adj);
  const parts = new Map<string, string[]>();
  for (const id of stays) {
    const name = assigned.get(id)!;
    parts.set(name, [...(parts.get(name) ?? []), id]);
  }
  const labels = new Set([...seeds].filter(([id]) => labelOf.get(id)).map(([, v]) => v));
  return [...[...parts].map(([name, ms]): Unit => ({ communities: new Set([c]), members: ms, name, by: labels.has(name) ? 'label' : 'stem' })), ...loners];
}

/** Names spread from seeds along the strongest connections inside the group; the unreached join the largest name. */
function propagate(group: readonly string[], seeds: Map<string, string>, adj: (id: string) => Map<string, number>): Map<string, string> {
  const assigned = new Map(seeds);
  const inGroup = new Set(group);
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (const id of group) {
      if (seeds.has(id)) continue;
      const score = new Map<string, number>();
      for (const [peer, w] of adj(id)) {
        if (!inGroup.has(peer)) continue;
        const name = assigned.get(peer);
        if (name) score.set(name, (score.get(name) ?? 0) + w);
      }
      if (!score.size) continue;
      const best = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      if (assigned.get(id) !== best) {
        assigned.set(id, best);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const sizes = new Map<string, number>();
  for (const name of assigned.values()) sizes.set(name, (sizes.get(name) ?? 0) + 1);
  const largest = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  for (const id of group) if (!assigned.has(id) && largest) assigned.set(id, largest);
  return assigned;
}

/**
 * The environment most of the evidence gives, synonyms counted together; shown in the most used
 * spelling (an estate that tags `prd` keeps `prd`). Labels weigh 1, hostnames 0.8, the address
 * plan 0.6 (their confidences).
 */
export function majorityEnv(values: readonly EnvValue[]): { env: string | null; share: number } {
  const votes = new Map<string, number>();
  const spelling = new Map<string, Map<string, number>>();
  let total = 0;
  for (const v of values) {
    if (!v.env) continue;
    const k = canonicalEnv(v.env) ?? v.env;
    const w = v.confidence || 0.5;
    votes.set(k, (votes.get(k) ?? 0) + w);
    let s = spelling.get(k);
    if (!s) spelling.set(k, (s = new Map()));
    s.set(v.env, (s.get(v.env) ?? 0) + w);
    total += w;
  }
  const top = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (!top) return { env: null, share: 0 };
  const spelled = [...spelling.get(top[0])!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  return { env: spelled, share: top[1] / total };
}
