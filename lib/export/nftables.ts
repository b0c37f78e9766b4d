// nftables, one ruleset per host: for every workload of the baseline, a `table inet bulkhead` with
// input and output chains that accept established traffic, loopback and IPv6 neighbour discovery,
// and accept what the rules allow for that host: inbound from the sources of rules whose `to`
// selects it, outbound to the destinations of rules whose `from` selects it. What happens to the
// rest follows the enforcement state of the host's application and environment: enforced drops it
// (policy drop), test logs it with the prefix "bulkhead-test" and accepts it, visibility has no
// rules at all (policy accept) - the file still replaces the table, so loading it takes back an
// earlier enforcement. Label selectors become the addresses their workloads hold at export time
// (re-export when addresses change). Loading a file replaces only Bulkhead's own table.
import { isAny, isCidr, isLabels, selectorKey, type CidrSelector, type Selector } from '../policy/model';
import { cidrMatcher, labelsMatch, matcherHas } from '../policy/selectors';
import type { BaselineDoc, BaselineRule, BaselineWorkload } from './baseline';
import type { EnforcementState } from '../policy/enforcement-states';
import { cidrFamily, enforcementOf, NOTHING_ENFORCED, isV6, portsByProtocol, rulesInForce, ruleNote, selectorAddresses, type ExportOptions, type ExportResult } from './common';

const TABLE = 'bulkhead';

/** A file name for a host: its name, safe on any file system. */
/** A host's file name: the workload's name in safe characters, cut to 200 of them (a file name may hold 255 bytes). */
export const hostFileName = (name: string) => `${name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 200)}.nft`;

const set = (xs: readonly string[]) => (xs.length === 1 ? xs[0]! : `{ ${xs.join(', ')} }`);
const comment = (t: string) => t.replace(/["\\\n\r]/g, ' ').slice(0, 120);

function selects(s: Selector, w: BaselineWorkload): boolean {
  if (isAny(s)) return true;
  if (isLabels(s)) return labelsMatch(s.labels, w);
  const m = cidrMatcher(s);
  return w.addresses.some((a) => matcherHas(m, a));
}

type AddressCache = Map<string, { v4: string[]; v6: string[] }>;

/** Address matches for the other side of a rule: per family, the nft expressions (null = family not allowed). */
function peerMatches(s: Selector, dir: 'saddr' | 'daddr', doc: BaselineDoc, cache: AddressCache): { v4: string | null; v6: string | null } {
  if (isAny(s)) return { v4: '', v6: '' };
  if (isLabels(s)) {
    const k = selectorKey(s);
    let a = cache.get(k);
    if (!a) cache.set(k, (a = selectorAddresses(s, doc)));
    return { v4: a.v4.length ? `ip ${dir} ${set(a.v4)} ` : null, v6: a.v6.length ? `ip6 ${dir} ${set(a.v6)} ` : null };
  }
  const c = s as CidrSelector;
  const fam = cidrFamily(c);
  const except = (c.except ?? []).filter((e) => (fam === 'v4' ? !e.includes(':') : e.includes(':')));
  const whole = c.cidr === '0.0.0.0/0' || c.cidr === '::/0';
  const bare = (x: string) => x.replace(/\/(32|128)$/, '');
  const m = `${whole ? '' : `${fam === 'v4' ? 'ip' : 'ip6'} ${dir} ${bare(c.cidr)} `}${except.length ? `${fam === 'v4' ? 'ip' : 'ip6'} ${dir} != ${set(except)} ` : ''}`;
  // the whole family with no exceptions still has to say which family it is
  const expr = m || (fam === 'v4' ? 'meta nfproto ipv4 ' : 'meta nfproto ipv6 ');
  return fam === 'v4' ? { v4: expr, v6: null } : { v4: null, v6: expr };
}

/** The host's own addresses a CIDR `to`/`from` selects (the rule applies only to those). */
function ownMatches(s: Selector, w: BaselineWorkload, dir: 'saddr' | 'daddr'): { v4: string; v6: string } {
  if (!isCidr(s)) return { v4: '', v6: '' };
  const m = cidrMatcher(s);
  const mine = w.addresses.filter((a) => matcherHas(m, a));
  const v4 = mine.filter((a) => !isV6(a));
  const v6 = mine.filter(isV6);
  return { v4: v4.length ? `ip ${dir} ${set(v4)} ` : '', v6: v6.length ? `ip6 ${dir} ${set(v6)} ` : '' };
}

function l4(r: BaselineRule): string[] {
  const p = portsByProtocol(r.ports);
  if (p.any) return [''];
  const out: string[] = [];
  const ranges = (x: Array<[number, number]>) => set(x.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)));
  if (p.tcp === 'all') out.push('meta l4proto tcp ');
  else if (p.tcp) out.push(`tcp dport ${ranges(p.tcp)} `);
  if (p.udp === 'all') out.push('meta l4proto udp ');
  else if (p.udp) out.push(`udp dport ${ranges(p.udp)} `);
  if (p.icmp) out.push('meta l4proto { icmp, ipv6-icmp } ');
  return out;
}

/** The log prefix of what a host in test would drop (nft allows at most 127 characters). */
export const TEST_LOG_PREFIX = 'bulkhead-test';

export function hostRuleset(doc: BaselineDoc, w: BaselineWorkload, rules: readonly BaselineRule[], cache: AddressCache, state: EnforcementState): { text: string; lines: number } {
  if (state === 'visibility') return openRuleset(doc, w, rules);
  const input: string[] = [];
  const output: string[] = [];
  const hasV4 = w.addresses.some((a) => !isV6(a));
  const hasV6 = w.addresses.some(isV6);
  for (const r of rules) {
    const note = `comment "${comment(`${r.id}: ${ruleNote(r, 80)}`)}"`;
    for (const [chain, mine, other, dir, selfDir] of [
      [input, r.to, r.from, 'saddr', 'daddr'],
      [output, r.from, r.to, 'daddr', 'saddr'],
    ] as const) {
      if (!selects(mine, w)) continue;
      const peer = peerMatches(other, dir, doc, cache);
      const own = ownMatches(mine, w, selfDir);
      const before = chain.length;
      for (const fam of ['v4', 'v6'] as const) {
        if ((fam === 'v4' && !hasV4) || (fam === 'v6' && !hasV6)) continue;
        const pm = peer[fam];
        if (pm === null) continue;
        if (isCidr(mine) && !own[fam]) continue;
        const famMatch = pm === '' && !own[fam] ? (fam === 'v4' ? 'meta nfproto ipv4 ' : 'meta nfproto ipv6 ') : '';
        for (const l of l4(r)) chain.push(`    ${famMatch}${own[fam]}${pm}${l}accept ${note}`);
      }
      if (chain.length === before) chain.push(`    # ${r.id}: no ${chain === input ? 'source' : 'destination'} addresses for ${isLabels(other) ? 'its label selector' : 'this host\'s address family'} at export time`);
    }
  }
  const enforced = state === 'enforced';
  const base = (hook: 'input' | 'output') => [
    `  chain ${hook} {`,
    `    type filter hook ${hook} priority filter; policy ${enforced ? 'drop' : 'accept'};`,
    '    ct state established,related accept',
    ...(enforced ? ['    ct state invalid drop'] : []),
    `    ${hook === 'input' ? 'iif' : 'oif'} "lo" accept`,
    '    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept',
  ];
  // in test, what the rules did not accept reaches this line: logged, then let through
  const tail = (hook: 'input' | 'output') => (enforced ? [] : [`    log prefix "${TEST_LOG_PREFIX} ${hook}: " accept`]);
  const lines = [
    ...header(doc, w, state),
    `table inet ${TABLE} {`,
    ...base('input'),
    ...input,
    ...tail('input'),
    '  }',
    ...base('output'),
    ...output,
    ...tail('output'),
    '  }',
    '}',
  ];
  return { text: `${lines.join('\n')}\n`, lines: input.length + output.length };
}

function header(doc: BaselineDoc, w: BaselineWorkload, state: EnforcementState): string[] {
  const meaning = { enforced: 'what the rules do not allow is dropped', test: `what the rules do not allow is logged ("${TEST_LOG_PREFIX}") and accepted`, visibility: 'nothing is filtered' }[state];
  return [
    `# nftables ruleset for ${w.name} (${w.addresses.join(', ') || 'no address'}) from Bulkhead baseline "${doc.metadata.name}", generated ${doc.metadata.generatedAt}`,
    `# Enforcement: ${state} for ${w.labels.app ? `${w.labels.app}${w.labels.env ? `@${w.labels.env}` : ''}` : 'a workload of no application'}: ${meaning}`,
    `# Load with: nft -f ${hostFileName(w.name)}   (replaces only the table inet ${TABLE})`,
    `table inet ${TABLE}`,
    `delete table inet ${TABLE}`,
  ];
}

/** A host in visibility: Bulkhead's table with open chains, so loading it removes an earlier drop. */
function openRuleset(doc: BaselineDoc, w: BaselineWorkload, rules: readonly BaselineRule[]): { text: string; lines: number } {
  const mine = rules.filter((r) => selects(r.to, w) || selects(r.from, w)).length;
  const chain = (hook: 'input' | 'output') => [`  chain ${hook} {`, `    type filter hook ${hook} priority filter; policy accept;`, '  }'];
  const lines = [
    ...header(doc, w, 'visibility'),
    ...(mine ? [`# ${mine} rules apply to this host; they are written once its application is in test or enforced`] : []),
    `table inet ${TABLE} {`,
    ...chain('input'),
    ...chain('output'),
    '}',
  ];
  return { text: `${lines.join('\n')}\n`, lines: 0 };
}

export function exportNftables(doc: BaselineDoc, opts: ExportOptions = {}): ExportResult {
  const { rules, skipped } = rulesInForce(doc, opts.now);
  const warnings = [...skipped];
  const files = [];
  const names = new Set<string>();
  const cache: AddressCache = new Map();
  const enforcement = enforcementOf(doc);
  if (!enforcement.pairs('enforced').length) warnings.push(NOTHING_ENFORCED);
  for (const w of doc.workloads) {
    if (!w.addresses.length) continue;
    let name = hostFileName(w.name);
    while (names.has(name)) name = name.replace(/\.nft$/, '_.nft');
    names.add(name);
    files.push({ name, content: hostRuleset(doc, w, rules, cache, enforcement.of(w)).text });
  }
  for (const r of rules) if (!isLabels(r.from) && !isLabels(r.to) && !isAny(r.from) && !isAny(r.to)) {
    if (!doc.workloads.some((w) => selects(r.from, w) || selects(r.to, w))) warnings.push(`rule ${r.id}: selects no host of the baseline; it appears in no ruleset`);
  }
  return { format: 'nftables', files, exported: rules.length, warnings };
}
