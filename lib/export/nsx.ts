// VMware NSX distributed firewall, as one body for the Policy API's hierarchical PATCH
// (PATCH /policy/api/v1/infra): services for the ports, tag-based groups for label selectors
// (VM tags scope|tag = key|value, all conditions ANDed), IP groups for addresses, and one
// security policy in the Application category with an allow rule per Bulkhead rule, then a final
// drop applied to the workloads of enforced applications and environments and a logged allow
// applied to those in test (the DFW logs an ALLOW rule's matches when it is `logged`: what test
// would have dropped is reported and let through). Workloads in visibility get no rule at all.
//
// Every rule carries its own `scope` (Applied To: the vNICs where the DFW evaluates it), and the
// security policy's scope stays ANY, because a policy-level Applied To takes precedence over the
// rules' own and would put the drop on the test workloads too. A workload's vNIC sees both what it
// sends and what it receives, so an enforced workload drops both ways, as nftables hosts do.
//
// exportNsx gathers the objects (groups and services, each created once, in an NsxObjects that
// the steps pass along), the groups of enforced and test workloads, the rules in order, the final
// drop and logged allow, then the body.
import { isAny, isCidr, isLabels, WORKLOAD_KEY, type PortSpec, type Selector } from '../policy/model';
import type { BaselineDoc, BaselineRule } from './baseline';
import { describeSelectorShort, dnsName, enforcementOf, NOTHING_ENFORCED, rulesInForce, ruleNote, type ExportOptions, type ExportResult } from './common';
import type { EnforcementState } from '../policy/enforcement-states';

export interface NsxOptions extends ExportOptions {
  /** NSX domain (default "default") */
  domain?: string;
}

/** NSX allows at most this many conditions in one criterion. */
const MAX_CONDITIONS = 5;

/** What the steps build up: groups and services by id, in creation order, and warnings. */
export interface NsxObjects {
  doc: BaselineDoc;
  domain: string;
  groups: Map<string, Record<string, unknown>>;
  services: Map<string, Record<string, unknown>>;
  warnings: string[];
  /** paths of the groups of the workloads in each state that has any (the rules' Applied To) */
  applied: { enforced: string | null; test: string | null };
}

export function exportNsx(doc: BaselineDoc, opts: NsxOptions = {}): ExportResult {
  const { rules, skipped } = rulesInForce(doc, opts.now);
  const o: NsxObjects = { doc, domain: opts.domain ?? 'default', groups: new Map(), services: new Map(), warnings: [...skipped], applied: { enforced: null, test: null } };
  o.applied = { enforced: stateGroup(o, 'enforced'), test: stateGroup(o, 'test') };
  if (!o.applied.enforced && !o.applied.test) {
    // nothing to enforce or log: no rule, so no group or service either (an ALLOW applied nowhere does nothing)
    o.warnings.push(NOTHING_ENFORCED);
    o.groups.clear();
    return { format: 'nsx', files: [{ name: 'nsx-dfw-policy.json', content: `${JSON.stringify(nsxBody(o, []), null, 2)}\n` }], exported: 0, warnings: o.warnings };
  }
  const out = nsxRules(o, rules);
  out.rules.push(...finalRules(o, out.nextSeq));
  const body = nsxBody(o, out.rules);
  return { format: 'nsx', files: [{ name: 'nsx-dfw-policy.json', content: `${JSON.stringify(body, null, 2)}\n` }], exported: rules.length, warnings: o.warnings };
}

/**
 * The group of the workloads in one state (their addresses at export time, like
 * bulkhead-all-workloads: a pair without an env label has no tag condition for "no env tag"), or
 * null when none is in it; returns its path.
 */
export function stateGroup(o: NsxObjects, state: Exclude<EnforcementState, 'visibility'>): string | null {
  const { of, pairs } = enforcementOf(o.doc);
  const addresses = [...new Set(o.doc.workloads.filter((w) => of(w) === state).flatMap((w) => w.addresses))].sort();
  if (!addresses.length) return null;
  const id = `bulkhead-${state}-workloads`;
  const names = pairs(state).map((p) => (p.environment ? `${p.application}@${p.environment}` : p.application)).join(', ');
  o.groups.set(id, {
    resource_type: 'Group',
    id,
    display_name: id,
    description: `workloads of baseline ${o.doc.metadata.name} in ${state}: ${names} (their addresses at export time)`.slice(0, 1024),
    expression: [{ resource_type: 'IPAddressExpression', ip_addresses: addresses }],
  });
  return groupPath(o, id);
}

/** Where the rules apply: the workloads enforced and those in test. */
const appliedTo = (o: NsxObjects) => [o.applied.enforced, o.applied.test].filter((g): g is string => g !== null);

const groupPath = (o: NsxObjects, id: string) => `/infra/domains/${o.domain}/groups/${id}`;

/** The group of every workload of the baseline (their addresses at export time), created once. */
export function allWorkloadsGroup(o: NsxObjects): string {
  if (!o.groups.has('bulkhead-all-workloads')) {
    const allAddresses = [...new Set(o.doc.workloads.flatMap((w) => w.addresses))].sort();
    o.groups.set('bulkhead-all-workloads', {
      resource_type: 'Group',
      id: 'bulkhead-all-workloads',
      display_name: 'bulkhead-all-workloads',
      description: `every workload of baseline ${o.doc.metadata.name} (their addresses at export time)`,
      expression: allAddresses.length ? [{ resource_type: 'IPAddressExpression', ip_addresses: allAddresses }] : [],
    });
  }
  return 'bulkhead-all-workloads';
}

/** The group of a selector (created once), or null for any. */
export function groupOf(o: NsxObjects, s: Selector, r: BaselineRule): string | null {
  if (isAny(s)) return null;
  if (isLabels(s) && !Object.keys(s.labels).length) return allWorkloadsGroup(o);
  const id = isCidr(s) ? dnsName(`bulkhead-net-${s.cidr.replace(/[:./]/g, '-')}`, 255) : dnsName(`bulkhead-${describeSelectorShort(s).replace(/[=,/ ]/g, '-')}`, 255);
  if (o.groups.has(id)) return id;
  let expression: unknown[];
  if (isCidr(s)) {
    // exceptions are not subtracted here: a drop rule placed before the allow holds them
    expression = [{ resource_type: 'IPAddressExpression', ip_addresses: [s.cidr] }];
  } else {
    const entries = Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length > MAX_CONDITIONS) o.warnings.push(`rule ${r.id}: ${entries.length} labels, NSX takes ${MAX_CONDITIONS} conditions per criterion`);
    expression = [];
    for (const [k, v] of entries.slice(0, MAX_CONDITIONS)) {
      if (expression.length) expression.push({ resource_type: 'ConjunctionOperator', conjunction_operator: 'AND' });
      expression.push(
        k === WORKLOAD_KEY
          ? { resource_type: 'Condition', member_type: 'VirtualMachine', key: 'Name', operator: 'EQUALS', value: v }
          : { resource_type: 'Condition', member_type: 'VirtualMachine', key: 'Tag', operator: 'EQUALS', value: `${k}|${v}` },
      );
    }
  }
  o.groups.set(id, { resource_type: 'Group', id, display_name: id, description: `Bulkhead: ${describeSelectorShort(s)}`.slice(0, 1024), expression });
  return id;
}

/** The service of a rule's ports (one per distinct set of entries), or ANY. */
export function serviceOf(o: NsxObjects, ports: readonly PortSpec[], r: BaselineRule): string[] {
  if (ports.some((p) => p.protocol === 'any')) return ['ANY'];
  const entries: unknown[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const mine = ports.filter((p) => p.protocol === proto);
    if (!mine.length) continue;
    const dest = mine.some((p) => p.port === undefined) ? ['1-65535'] : mine.map((p) => (p.endPort !== undefined && p.endPort !== p.port ? `${p.port}-${p.endPort}` : String(p.port)));
    for (let i = 0; i < dest.length; i += 15) {
      // NSX takes at most 15 ports or ranges per service entry
      entries.push({ resource_type: 'L4PortSetServiceEntry', id: `${proto}-${i / 15}`, display_name: `${proto} ${dest.slice(i, i + 15).join(',')}`, l4_protocol: proto.toUpperCase(), destination_ports: dest.slice(i, i + 15) });
    }
  }
  if (ports.some((p) => p.protocol === 'icmp')) {
    entries.push({ resource_type: 'ICMPTypeServiceEntry', id: 'icmp4', display_name: 'ICMPv4', protocol: 'ICMPv4' }, { resource_type: 'ICMPTypeServiceEntry', id: 'icmp6', display_name: 'ICMPv6', protocol: 'ICMPv6' });
  }
  const key = JSON.stringify(entries);
  let id = [...o.services].find(([, s]) => JSON.stringify(s.service_entries) === key)?.[0];
  if (!id) {
    id = dnsName(`bulkhead-svc-${ports.map((p) => (p.port === undefined ? p.protocol : `${p.protocol}${p.port}${p.endPort ? `-${p.endPort}` : ''}`)).join('-')}`, 200);
    while (o.services.has(id)) id = `${id}-x`;
    o.services.set(id, { resource_type: 'Service', id, display_name: id, description: `Bulkhead: ports of rule ${r.id}`, service_entries: entries });
  }
  return [`/infra/services/${id}`];
}

/** Each rule's drop of its exceptions (just before it) and its allow, sequence numbers 10 apart; the next free one. */
export function nsxRules(o: NsxObjects, rules: readonly BaselineRule[]): { rules: unknown[]; nextSeq: number } {
  const out: unknown[] = [];
  let seq = 10;
  for (const r of rules) {
    if (!isLabels(r.from) && !isLabels(r.to)) o.warnings.push(`rule ${r.id}: both sides are addresses or any; exported, but NSX enforces it only where such traffic crosses a VM's vNIC`);
    const src = groupOf(o, r.from, r);
    const dst = groupOf(o, r.to, r);
    const services = serviceOf(o, r.ports, r);
    // NSX matches rules in order: a drop of the exceptions just before the allow is the allow minus them
    for (const [side, sel] of [['source', r.from], ['destination', r.to]] as const) {
      if (!isCidr(sel) || !sel.except?.length) continue;
      const ex = dnsName(`bulkhead-except-${r.id}-${side}`, 255);
      o.groups.set(ex, { resource_type: 'Group', id: ex, display_name: ex, description: `exceptions of rule ${r.id} (${side})`, expression: [{ resource_type: 'IPAddressExpression', ip_addresses: sel.except }] });
      // dropped where enforced; where in test, logged and let through before the allow can take it
      for (const [state, action] of [['enforced', 'DROP'], ['test', 'ALLOW']] as const) {
        const scope = o.applied[state];
        if (!scope) continue;
        const id = dnsName(`bulkhead-${r.id}-except-${side}${state === 'test' ? '-test' : ''}`, 255);
        out.push({
          resource_type: 'Rule',
          id,
          display_name: id,
          notes: `exceptions of rule ${r.id}${state === 'test' ? ' (in test: logged, let through)' : ''}`,
          sequence_number: seq++,
          source_groups: side === 'source' ? [groupPath(o, ex)] : src ? [groupPath(o, src)] : ['ANY'],
          destination_groups: side === 'destination' ? [groupPath(o, ex)] : dst ? [groupPath(o, dst)] : ['ANY'],
          services,
          scope: [scope],
          action,
          direction: 'IN_OUT',
          ip_protocol: 'IPV4_IPV6',
          logged: true,
        });
      }
    }
    out.push({
      resource_type: 'Rule',
      id: dnsName(`bulkhead-${r.id}`, 255),
      display_name: dnsName(`bulkhead-${r.id}`, 255),
      description: r.id,
      notes: ruleNote(r, 2048),
      sequence_number: seq,
      source_groups: src ? [groupPath(o, src)] : ['ANY'],
      destination_groups: dst ? [groupPath(o, dst)] : ['ANY'],
      services,
      scope: appliedTo(o),
      action: 'ALLOW',
      direction: 'IN_OUT',
      ip_protocol: 'IPV4_IPV6',
      logged: false,
      tag: r.expires ? `expires ${r.expires}`.slice(0, 32) : undefined,
    });
    seq += 10;
  }
  return { rules: out, nextSeq: seq };
}

/**
 * After the rules: drop what none allowed on the enforced workloads, and log and let it through
 * on those in test (an ALLOW that is `logged`: the DFW reports its matches).
 */
export function finalRules(o: NsxObjects, seq: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const common = { source_groups: ['ANY'], destination_groups: ['ANY'], services: ['ANY'], direction: 'IN_OUT', ip_protocol: 'IPV4_IPV6', logged: true };
  if (o.applied.enforced) {
    out.push({
      resource_type: 'Rule',
      id: 'bulkhead-default-drop',
      display_name: 'bulkhead-default-drop',
      notes: 'Bulkhead: drop what no rule above allowed, for the workloads of enforced applications and environments',
      sequence_number: seq,
      ...common,
      scope: [o.applied.enforced],
      action: 'DROP',
    });
  }
  if (o.applied.test) {
    out.push({
      resource_type: 'Rule',
      id: 'bulkhead-test-log',
      display_name: 'bulkhead-test-log',
      notes: 'Bulkhead: log and let through what no rule above allowed, for the workloads of applications and environments in test',
      sequence_number: seq + 1,
      ...common,
      scope: [o.applied.test],
      action: 'ALLOW',
    });
  }
  return out;
}

/** The hierarchical PATCH body: services, then the domain's groups and the security policy. */
export function nsxBody(o: NsxObjects, rules: unknown[]): Record<string, unknown> {
  return {
    resource_type: 'Infra',
    children: [
      ...[...o.services.values()].map((s) => ({ resource_type: 'ChildService', Service: s })),
      {
        resource_type: 'ChildResourceReference',
        id: o.domain,
        target_type: 'Domain',
        children: [
          ...[...o.groups.values()].map((g) => ({ resource_type: 'ChildGroup', Group: g })),
          {
            resource_type: 'ChildSecurityPolicy',
            SecurityPolicy: {
              resource_type: 'SecurityPolicy',
              id: dnsName(`bulkhead-${o.doc.metadata.name}`, 255),
              display_name: `bulkhead ${o.doc.metadata.name}`,
              description: `Bulkhead baseline ${o.doc.metadata.name}${o.doc.metadata.version ? ` v${o.doc.metadata.version}` : ''}, generated ${o.doc.metadata.generatedAt}`,
              category: 'Application',
              sequence_number: 100,
              stateful: true,
              tcp_strict: true,
              // ANY: each rule says where it applies (a policy-level scope would override theirs)
              scope: ['ANY'],
              rules,
            },
          },
        ],
      },
    ],
  };
}
