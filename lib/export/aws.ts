// AWS security groups as Terraform (JSON configuration syntax, *.tf.json, which Terraform reads
// like HCL and which is safe to generate): one security group per label selector the rules use
// (a role or an application), rules between groups as SG-to-SG references, addresses as CIDR
// rules, and an output that says which groups each workload (instance) needs.
//
// Security groups only allow, are stateful, and have no exceptions inside a CIDR: a CIDR with
// exceptions becomes the CIDRs that remain. Terraform removes the allow-all egress rule AWS puts
// on a new group, so egress is an allow-list too.
//
// Enforcement states: an instance's groups are what enforces, and they are also what makes it a
// member for the SG-to-SG references of other groups, so every instance still carries its groups.
// Instances of applications not enforced (visibility, test) carry one more, bulkhead-open, which
// allows everything both ways: groups add up, so they stay open while references to them match.
// Instances of an application inferred and not confirmed carry it too, whatever its state.
import { isAny, isCidr, isLabels, type PortSpec, type Selector } from '../policy/model';
import { inferredApplications, type BaselineDoc, type BaselineRule } from './baseline';
import { cidrsOf, describeSelectorShort, dnsName, enforcementOf, isHostCidr, NOTHING_ENFORCED, pairName, rulesInForce, ruleNote, selectedWorkloads, type ExportOptions, type ExportResult } from './common';

/** AWS's default quota of rules per direction per security group. */
export const SG_RULE_QUOTA = 60;
/** AWS's default quota of security groups per network interface. */
export const SG_PER_INTERFACE = 5;

type Proto = { ip_protocol: string; from_port?: number; to_port?: number };

function protos(ports: readonly PortSpec[]): Proto[] {
  if (ports.some((p) => p.protocol === 'any')) return [{ ip_protocol: '-1' }];
  const out: Proto[] = [];
  for (const p of ports) {
    if (p.protocol === 'icmp') out.push({ ip_protocol: 'icmp', from_port: -1, to_port: -1 }, { ip_protocol: 'icmpv6', from_port: -1, to_port: -1 });
    else if (p.port === undefined) out.push({ ip_protocol: p.protocol, from_port: 0, to_port: 65535 });
    else out.push({ ip_protocol: p.protocol, from_port: p.port, to_port: p.endPort ?? p.port });
  }
  return out;
}

const ident = (s: string) => {
  const x = s.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  return /^[a-z_]/.test(x) ? x : `_${x}`;
};

export function exportAwsTerraform(doc: BaselineDoc, opts: ExportOptions = {}): ExportResult {
  const { rules, skipped } = rulesInForce(doc, opts.now);
  const warnings = [...skipped];
  const enforcement = enforcementOf(doc);
  const groups = new Map<string, { id: string; selector: Selector }>();
  const groupOf = (s: Selector) => {
    const key = JSON.stringify(Object.entries((s as { labels: Record<string, string> }).labels).sort());
    let g = groups.get(key);
    if (!g) {
      const slug = Object.keys((s as { labels: Record<string, string> }).labels).length ? describeSelectorShort(s).replace(/[=,]/g, '-') : 'all-workloads';
      let id = ident(`sg_${slug}`);
      while ([...groups.values()].some((x) => x.id === id)) id = `${id}_x`;
      groups.set(key, (g = { id, selector: s }));
    }
    return g;
  };
  const ingress: Record<string, Record<string, unknown>> = {};
  const egress: Record<string, Record<string, unknown>> = {};
  const count = new Map<string, number>();
  const addRule = (into: Record<string, Record<string, unknown>>, dir: 'in' | 'out', r: BaselineRule, sg: string, peer: Record<string, unknown>, p: Proto, n: number) => {
    const name = ident(`${r.id}_${dir}_${n}`);
    into[name] = { security_group_id: `\${aws_security_group.${sg}.id}`, ...peer, ...p, description: ruleNote(r, 250), tags: { 'bulkhead:rule-id': r.id } };
    count.set(`${sg}|${dir}`, (count.get(`${sg}|${dir}`) ?? 0) + 1);
  };
  // Security groups cannot deny: exceptions that are ranges become the CIDRs that remain; single
  // addresses (known scanners) would shatter the range into dozens of rules, so they are denied in
  // the subnets' network ACLs instead (stateless, subnet-wide: the one deny AWS has).
  const denied = { ingress: new Set<string>(), egress: new Set<string>() };
  // ACL denies are subnet-wide, beyond any state: only rules of enforced instances write them
  const peersOf = (s: Selector, dir: 'ingress' | 'egress', deny: boolean): Array<Record<string, unknown>> => {
    if (isAny(s)) return [{ cidr_ipv4: '0.0.0.0/0' }, { cidr_ipv6: '::/0' }];
    if (isCidr(s)) {
      if (deny) for (const e of s.except ?? []) if (isHostCidr(e)) denied[dir].add(e);
      return cidrsOf(s, { keep: (e) => !isHostCidr(e) }).map((c) => (c.includes(':') ? { cidr_ipv6: c } : { cidr_ipv4: c }));
    }
    return [{ referenced_security_group_id: `\${aws_security_group.${groupOf(s).id}.id}` }];
  };

  let exported = 0;
  for (const r of rules) {
    if (!isLabels(r.from) && !isLabels(r.to)) {
      warnings.push(`rule ${r.id}: neither side is a group of instances (both are addresses or any); security groups cannot express it`);
      continue;
    }
    for (const [side, sel] of [['from', r.from], ['to', r.to]] as const) {
      if (!isCidr(sel) || !sel.except?.some((e) => !isHostCidr(e))) continue;
      warnings.push(`rule ${r.id}: ${side} ${sel.cidr} minus its exceptions written as ${cidrsOf(sel, { keep: (e) => !isHostCidr(e) }).length} CIDRs`);
    }
    let n = 0;
    const enforces = (s: Selector) => isLabels(s) && selectedWorkloads(s, doc).some((w) => enforcement.of(w) === 'enforced');
    for (const p of protos(r.ports)) {
      if (isLabels(r.to)) for (const peer of peersOf(r.from, 'ingress', enforces(r.to))) addRule(ingress, 'in', r, groupOf(r.to).id, peer, p, n++);
      if (isLabels(r.from)) for (const peer of peersOf(r.to, 'egress', enforces(r.from))) addRule(egress, 'out', r, groupOf(r.from).id, peer, p, n++);
    }
    exported++;
  }
  for (const [k, c] of count) {
    if (c > SG_RULE_QUOTA) {
      const [sg, dir] = k.split('|');
      warnings.push(`security group ${sg} has ${c} ${dir === 'in' ? 'inbound' : 'outbound'} rules, above AWS's default quota of ${SG_RULE_QUOTA}: ask for a higher quota or export with coarser port generalisation`);
    }
  }

  const sgs: Record<string, unknown> = {};
  for (const g of groups.values()) {
    sgs[g.id] = {
      name: dnsName(`bulkhead-${g.id.replace(/^sg_/, '')}`, 255),
      description: `Bulkhead: ${describeSelectorShort(g.selector)}`.slice(0, 255),
      vpc_id: '${var.vpc_id}',
      tags: { 'bulkhead:selector': describeSelectorShort(g.selector), 'bulkhead:baseline': doc.metadata.name },
    };
  }
  const attach: Record<string, string[]> = {};
  for (const g of groups.values()) {
    for (const w of selectedWorkloads(g.selector, doc)) (attach[w.name] ??= []).push(`\${aws_security_group.${g.id}.id}`);
  }
  for (const t of enforcement.pairs('test')) {
    warnings.push(`${pairName(t)} is in test: security groups cannot log what they would deny, so its instances are left open (bulkhead-open)`);
  }
  const byName = new Map(doc.workloads.map((w) => [w.name, w]));
  // an inferred application's own rules are addresses here (./inferred.ts), with no group to
  // allow its instances' side: they stay open rather than lose what those rules allow
  const inferred = inferredApplications(doc);
  const open = Object.keys(attach).filter((name) => {
    const w = byName.get(name)!;
    return enforcement.of(w) !== 'enforced' || (w.labels.app !== undefined && inferred.has(w.labels.app));
  });
  for (const p of enforcement.pairs('enforced')) {
    if (inferred.has(p.application)) warnings.push(`${pairName(p)} is enforced but its application is inferred and not confirmed: security groups cannot select it, so its instances are left open (bulkhead-open); confirm it to enforce it here`);
  }
  if (open.length) {
    let id = 'sg_bulkhead_open';
    while ([...groups.values()].some((x) => x.id === id)) id = `${id}_x`;
    sgs[id] = {
      name: 'bulkhead-open',
      description: 'Bulkhead: allows everything, for instances of applications not enforced (visibility, test)',
      vpc_id: '${var.vpc_id}',
      tags: { 'bulkhead:enforcement': 'not enforced', 'bulkhead:baseline': doc.metadata.name },
    };
    for (const [into, dir] of [[ingress, 'in'], [egress, 'out']] as const) {
      for (const cidr of [{ cidr_ipv4: '0.0.0.0/0' }, { cidr_ipv6: '::/0' }]) {
        into[ident(`bulkhead_open_${dir}_${'cidr_ipv4' in cidr ? 'v4' : 'v6'}`)] = { security_group_id: `\${aws_security_group.${id}.id}`, ...cidr, ip_protocol: '-1', description: 'not enforced: everything allowed' };
      }
    }
    for (const name of open) attach[name]!.push(`\${aws_security_group.${id}.id}`);
  }
  if (!enforcement.pairs('enforced').length) warnings.push(NOTHING_ENFORCED);
  const nacl: Record<string, unknown> = {};
  let number = 10;
  for (const dir of ['ingress', 'egress'] as const) {
    for (const c of [...denied[dir]].sort()) {
      nacl[ident(`bulkhead_deny_${dir}_${c}`)] = {
        for_each: '${toset(var.network_acl_ids)}',
        network_acl_id: '${each.value}',
        rule_number: number++,
        egress: dir === 'egress',
        protocol: '-1',
        rule_action: 'deny',
        ...(c.includes(':') ? { ipv6_cidr_block: c } : { cidr_block: c }),
      };
    }
  }
  if (Object.keys(nacl).length) {
    warnings.push(
      `${Object.keys(nacl).length} single-address exceptions (known scanners) are denied in network ACLs: set var.network_acl_ids to the ACLs of the workloads' subnets, or they are not denied at all`,
    );
  }
  const crowded = Object.entries(attach).filter(([, sgs]) => sgs.length > SG_PER_INTERFACE);
  if (crowded.length) {
    warnings.push(
      `${crowded.length} workloads need more than ${SG_PER_INTERFACE} security groups (AWS's default per network interface; up to 16 on request), e.g. ${crowded[0]![0]} needs ${crowded[0]![1].length}: raise the quota or export with coarser granularity`,
    );
  }
  const config: Record<string, unknown> = {
    '//': `AWS security groups generated by Bulkhead from baseline "${doc.metadata.name}" (${doc.metadata.generatedAt}). Attach the groups in output.workload_security_groups to each instance.`,
    variable: {
      vpc_id: { type: 'string', description: 'VPC the security groups belong to' },
      ...(Object.keys(nacl).length ? { network_acl_ids: { type: 'list(string)', default: [], description: 'network ACLs of the subnets the workloads are in: known scanners are denied there' } } : {}),
    },
    resource: {
      aws_security_group: sgs,
      ...(Object.keys(nacl).length ? { aws_network_acl_rule: nacl } : {}),
      ...(Object.keys(ingress).length ? { aws_vpc_security_group_ingress_rule: ingress } : {}),
      ...(Object.keys(egress).length ? { aws_vpc_security_group_egress_rule: egress } : {}),
    },
    output: { workload_security_groups: { description: 'security groups each workload (by inventory name) must carry', value: attach } },
  };
  return { format: 'aws', files: [{ name: 'bulkhead-security-groups.tf.json', content: `${JSON.stringify(config, null, 2)}\n` }], exported, warnings };
}
