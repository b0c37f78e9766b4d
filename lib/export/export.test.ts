// Every exporter on one baseline whose meaning is known, read back the way its target reads it
// (YAML, JSON, Terraform JSON, nft -c) and checked rule by rule; the baseline format round trip,
// its errors with file:line, and its JSON Schema in docs/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { addressValue } from '../identity/networks';
import { makeView } from '../policy/labels';
import { baselineFormatOf, baselineJsonSchema, buildBaseline, EXPORT_FORMATS, exportPolicy, parseBaseline, serializeBaseline, type BaselineDoc } from './index';
import { cidrsOf } from './common';
import { checkNftables } from './nft-check';

const FUTURE = '2099-01-01T00:00:00.000Z';
const PAST = '2020-01-01T00:00:00.000Z';

const doc: BaselineDoc = {
  apiVersion: 'bulkhead/v1',
  kind: 'Baseline',
  metadata: { name: 'shop', generatedAt: '2026-03-29T00:00:00.000Z', window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-29T00:00:00.000Z' }, version: 3, policy: 'approved' },
  workloads: [
    // shop runs in Kubernetes (namespace shop, its pods' own labels); dns and monitoring are VMs
    { name: 'web-1', addresses: ['10.10.0.11', '2001:db8:10::11'], labels: { app: 'shop', env: 'prod', role: 'web' }, kubernetes: { namespace: 'shop', labels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'web', 'pod-template-hash': '5d8f' } } },
    { name: 'api-1', addresses: ['10.10.0.21'], labels: { app: 'shop', env: 'prod', role: 'api' }, kubernetes: { namespace: 'shop', labels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'api', 'pod-template-hash': '77c1' } } },
    { name: 'db-1', addresses: ['10.10.0.31'], labels: { app: 'shop', env: 'prod', role: 'db' }, kubernetes: { namespace: 'shop-data', labels: { 'app.kubernetes.io/name': 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-0' } } },
    { name: 'dns-1', addresses: ['10.0.0.3'], labels: { app: 'dns', role: 'core' } },
    { name: 'mon-1', addresses: ['10.0.0.4'], labels: { app: 'monitoring', role: 'core' } },
  ],
  rules: [
    { id: 'r-web-api', action: 'allow', from: { labels: { app: 'shop', role: 'web' } }, to: { labels: { app: 'shop', role: 'api' } }, ports: [{ protocol: 'tcp', port: 8080 }], intent: 'web calls api', owner: 'shop', status: 'approved' },
    { id: 'r-api-db', action: 'allow', from: { labels: { app: 'shop', role: 'api' } }, to: { labels: { app: 'shop', role: 'db' } }, ports: [{ protocol: 'tcp', port: 5432, endPort: 5433 }], intent: 'api uses db', owner: 'shop', status: 'approved' },
    { id: 'r-dns', action: 'allow', from: { labels: {} }, to: { labels: { app: 'dns' } }, ports: [{ protocol: 'udp', port: 53 }, { protocol: 'tcp', port: 53 }], intent: 'everyone resolves names', owner: 'dns', status: 'approved' },
    { id: 'r-internet', action: 'allow', from: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.0.2.66/32'] }, to: { labels: { app: 'shop', role: 'web' } }, ports: [{ protocol: 'tcp', port: 443 }], intent: 'internet clients', owner: 'shop', status: 'approved' },
    { id: 'r-egress', action: 'allow', from: { labels: { app: 'shop', role: 'api' } }, to: { cidr: '198.51.100.10/32' }, ports: [{ protocol: 'tcp', port: 443 }], intent: 'payment provider', owner: 'shop', expires: FUTURE, status: 'approved' },
    { id: 'r-mon', action: 'allow', from: { labels: { app: 'monitoring' } }, to: { labels: {} }, ports: [{ protocol: 'tcp', port: 9100 }, { protocol: 'icmp' }], intent: 'monitoring scrapes and pings', owner: 'monitoring', status: 'approved' },
    { id: 'r-expired', action: 'allow', from: { labels: { app: 'shop', role: 'web' } }, to: { labels: { app: 'shop', role: 'db' } }, ports: [{ protocol: 'tcp', port: 5432 }], intent: 'old exception', owner: 'shop', expires: PAST, status: 'approved' },
    { id: 'r-nets', action: 'allow', from: { cidr: '10.100.0.0/16' }, to: { cidr: '198.51.100.0/24' }, ports: [{ protocol: 'any' }], intent: 'users to a partner', status: 'approved' },
  ],
  // every application enforced, so each format shows everything it writes
  enforcement: [
    { application: 'dns', environment: '', state: 'enforced' },
    { application: 'monitoring', environment: '', state: 'enforced' },
    { application: 'shop', environment: 'prod', state: 'enforced' },
  ],
};

const objects = (text: string) => parseAllDocuments(text).map((d) => d.toJS()) as Array<{ kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: Record<string, unknown> }>;
const byRule = (objs: ReturnType<typeof objects>, id: string) => objs.filter((o) => o.metadata.annotations?.['bulkhead.io/rule-id'] === id);

describe('the baseline format', () => {
  it('round-trips through YAML and JSON', () => {
    for (const f of ['yaml', 'json'] as const) expect(parseBaseline(serializeBaseline(doc, f), `x.${f}`)).toEqual(doc);
    expect(baselineFormatOf('a/b.YML')).toBe('yaml');
    expect(() => baselineFormatOf('policy.txt')).toThrow(/\.yaml, \.yml or \.json/);
  });

  it('reports broken files with file:line and the field', () => {
    const text = serializeBaseline(doc, 'yaml').replace('port: 5432', 'port: 99999');
    const line = text.split('\n').findIndex((l) => l.includes('99999')) + 1;
    expect(() => parseBaseline(text, 'shop.yaml')).toThrow(new RegExp(`shop\\.yaml:${line}: rules\\.1\\.ports\\.0\\.port: .*65535`));
    expect(() => parseBaseline('apiVersion: bulkhead/v1\nkind: [unclosed\n', 'bad.yaml')).toThrow(/bad\.yaml:\d+:/);
    const dup = serializeBaseline({ ...doc, rules: [doc.rules[0]!, doc.rules[0]!] }, 'json');
    expect(() => parseBaseline(dup, 'dup.json')).toThrow(/dup\.json:\d+: rules\.1\.id: "r-web-api" is also the id of rules\.0/);
    const badSel = serializeBaseline(doc, 'json').replace('"cidr": "198.51.100.10/32"', '"cidr": "198.51.100.10"');
    expect(() => parseBaseline(badSel, 'sel.json')).toThrow(/sel\.json:\d+: rules\.4\.to\.cidr: .*not a CIDR/);
  });

  it('is documented by docs/baseline.schema.json, generated from the schema the code validates with', () => {
    const file = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/baseline.schema.json'), 'utf8'));
    expect(file, 'regenerate: npx bulkhead export --schema > docs/baseline.schema.json').toEqual(baselineJsonSchema());
    expect(file.properties.rules.items.required).toEqual(expect.arrayContaining(['id', 'action', 'from', 'to', 'ports', 'intent', 'status']));
  });
});

describe('CIDR arithmetic for targets without exceptions', () => {
  it('writes a range minus its exceptions as the CIDRs that remain, exactly', () => {
    const parts = cidrsOf({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.0.2.66/32'] });
    let total = 0n;
    const ranges = parts.map((c) => {
      const [a, p] = c.split('/');
      const lo = addressValue(a!)!;
      const size = 1n << BigInt(32 - Number(p));
      total += size;
      return [lo, lo + size - 1n] as const;
    });
    expect(total).toBe((1n << 32n) - (1n << 24n) - 1n);
    const inside = (ip: string) => ranges.some(([lo, hi]) => addressValue(ip)! >= lo && addressValue(ip)! <= hi);
    expect(inside('8.8.8.8')).toBe(true);
    expect(inside('10.1.2.3')).toBe(false);
    expect(inside('192.0.2.66')).toBe(false);
    expect(inside('192.0.2.67')).toBe(true);
    expect(cidrsOf({ cidr: '2000::/3' })).toEqual(['2000::/3']);
  });
});

const byName = (objs: ReturnType<typeof objects>, name: string) => objs.find((o) => o.metadata.name === name)!;
const rulesOf = (o: ReturnType<typeof objects>[number]) => o.metadata.annotations!['bulkhead.io/rules']!.split(',');
const KUBE_DNS_K8S = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };

describe('Kubernetes NetworkPolicy', () => {
  const r = exportPolicy(doc, 'kubernetes', { now: new Date('2026-04-01T00:00:00Z') });
  const objs = objects(r.files[0]!.content);
  const web = byName(objs, 'bulkhead-storefront-web');
  const api = byName(objs, 'bulkhead-storefront-api');
  const db = byName(objs, 'bulkhead-postgres');
  it('writes one policy per group of pods, in their namespace, selecting them by their own labels', () => {
    expect(objs.map((o) => `${(o.metadata as { namespace?: string }).namespace}/${o.metadata.name}`).sort()).toEqual(['shop-data/bulkhead-postgres', 'shop/bulkhead-storefront-api', 'shop/bulkhead-storefront-web']);
    expect(api.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'api' } });
    expect(db.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'postgres' } });
    for (const o of objs) {
      expect(o.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
    // every rule that protects the group, traceable by id
    expect(rulesOf(api).sort()).toEqual(['r-api-db', 'r-dns', 'r-egress', 'r-mon', 'r-web-api']);
    expect(db.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'api' } } }],
      ports: [{ protocol: 'TCP', port: 5432, endPort: 5433 }],
    });
    expect(api.spec.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop-data' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgres' } } }], ports: [{ protocol: 'TCP', port: 5432, endPort: 5433 }] });
    // Bulkhead's own labels never select pods
    expect(r.files[0]!.content).not.toMatch(/\b(app|env|role): (shop|prod|web|api|db|dns|monitoring)\b/);
  });
  it('writes VMs and networks as ipBlock, never as pods', () => {
    expect(web.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.0.2.66/32'] } }], ports: [{ protocol: 'TCP', port: 443 }] });
    // dns-1 and mon-1 are VMs: their addresses
    expect(api.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.3/32' } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] });
    expect(db.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '10.0.0.4/32' } }], ports: [{ protocol: 'TCP', port: 9100 }] });
    expect(api.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '198.51.100.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });
  it('lets every enforced pod reach the cluster DNS by its real selector', () => {
    for (const o of objs) expect(o.spec.egress).toContainEqual(KUBE_DNS_K8S);
    expect(objects(exportPolicy(doc, 'kubernetes', { now: new Date('2026-04-01T00:00:00Z'), clusterDns: false } as never).files[0]!.content).every((o) => !JSON.stringify(o).includes('kube-dns'))).toBe(true);
  });
  it('leaves out what it cannot express, and says so', () => {
    expect(objs.flatMap(rulesOf)).not.toContain('r-expired');
    expect(objs.flatMap(rulesOf)).not.toContain('r-nets');
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/r-mon: icmp .* left out/),
        expect.stringMatching(/^1 rules left out: the workloads they protect are not Kubernetes pods .*nftables, NSX or AWS.*\(r-nets\)/),
        expect.stringMatching(/rules also protect workloads outside Kubernetes.*r-dns/),
        expect.stringMatching(/r-expired: expired/),
      ]),
    );
    expect(r.exported).toBe(6);
  });
});

describe('CiliumNetworkPolicy', () => {
  const r = exportPolicy(doc, 'cilium', { now: new Date('2026-04-01T00:00:00Z') });
  const objs = objects(r.files[0]!.content);
  const api = byName(objs, 'bulkhead-storefront-api');
  it('writes one policy per group of pods in their namespace, peers with their namespace', () => {
    expect(objs.map((o) => `${(o.metadata as { namespace?: string }).namespace}/${o.metadata.name}`).sort()).toEqual(['shop-data/bulkhead-postgres', 'shop/bulkhead-storefront-api', 'shop/bulkhead-storefront-web']);
    expect(api).toMatchObject({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', spec: { endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'api' } } } });
    expect(rulesOf(api).sort()).toEqual(['r-api-db', 'r-dns', 'r-egress', 'r-mon', 'r-web-api']);
    expect(byName(objs, 'bulkhead-postgres').spec.ingress).toContainEqual({
      fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop', 'k8s:app.kubernetes.io/name': 'storefront', 'k8s:app.kubernetes.io/component': 'api' } }],
      toPorts: [{ ports: [{ port: '5432', endPort: 5433, protocol: 'TCP' }] }],
    });
  });
  it('writes addresses as CIDR sets with exceptions, ICMP by type, and the cluster DNS with DNS visibility', () => {
    expect(byName(objs, 'bulkhead-storefront-web').spec.ingress).toContainEqual({ fromCIDRSet: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.0.2.66/32'] }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(api.spec.ingress).toContainEqual({ fromCIDRSet: [{ cidr: '10.0.0.4/32' }], toPorts: [{ ports: [{ port: '9100', protocol: 'TCP' }] }], icmps: [{ fields: [{ type: 8, family: 'IPv4' }, { type: 128, family: 'IPv6' }] }] });
    expect(api.spec.egress).toContainEqual({ toCIDRSet: [{ cidr: '198.51.100.10/32' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    for (const o of objs) {
      expect(o.spec.egress).toContainEqual({
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
      });
    }
    expect(r.files[0]!.content).not.toMatch(/\b(app|env|role): (shop|prod|web|api|db|dns|monitoring)\b/);
  });
});

describe('Calico', () => {
  it('writes GlobalNetworkPolicy with selector expressions, one rule per protocol, and an explicit default deny', () => {
    const objs = objects(exportPolicy(doc, 'calico', { now: new Date('2026-04-01T00:00:00Z') }).files[0]!.content);
    const ing = byRule(objs, 'r-api-db').find((o) => (o.spec.types as string[])[0] === 'Ingress')!;
    expect(ing).toMatchObject({ kind: 'GlobalNetworkPolicy', spec: { selector: "app == 'shop' && role == 'db' && (app == 'shop' && env == 'prod')", ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'shop' && role == 'api'" }, destination: { ports: ['5432:5433'] } }] } });
    const dns = byRule(objs, 'r-dns').find((o) => (o.spec.types as string[])[0] === 'Ingress')!;
    expect((dns.spec.ingress as unknown[]).length).toBe(2);
    expect(dns.spec.ingress).toContainEqual({ action: 'Allow', protocol: 'UDP', source: { selector: 'all()' }, destination: { ports: [53] } });
    expect(byRule(objs, 'r-internet')[0]!.spec.ingress).toEqual([{ action: 'Allow', protocol: 'TCP', source: { nets: ['0.0.0.0/0'], notNets: ['10.0.0.0/8', '192.0.2.66/32'] }, destination: { ports: [443] } }]);
    const mon = byRule(objs, 'r-mon').find((o) => (o.spec.types as string[])[0] === 'Egress')!;
    expect((mon.spec.egress as Array<{ protocol: string }>).map((x) => x.protocol)).toEqual(['TCP', 'ICMP', 'ICMPv6']);
    const deny = { order: 10000, ingress: [{ action: 'Deny' }], egress: [{ action: 'Deny' }] };
    expect(objs[objs.length - 1]).toMatchObject({ metadata: { name: 'bulkhead-default-deny' }, spec: { ...deny, selector: "(app == 'dns' && !has(env)) || (app == 'monitoring' && !has(env)) || (app == 'shop' && env == 'prod')" } });
  });
  it('stages the same policies for a dry run, cluster-wide or in a namespace', () => {
    const staged = objects(exportPolicy(doc, 'calico-staged').files[0]!.content);
    expect(new Set(staged.map((o) => o.kind))).toEqual(new Set(['StagedGlobalNetworkPolicy']));
    expect(staged.every((o) => o.spec.stagedAction === 'Set')).toBe(true);
    const ns = objects(exportPolicy(doc, 'calico-staged', { namespace: 'shop' }).files[0]!.content);
    expect(new Set(ns.map((o) => `${o.kind}/${(o.metadata as { namespace?: string }).namespace}`))).toEqual(new Set(['StagedNetworkPolicy/shop']));
  });
});

describe('AWS security groups (Terraform JSON)', () => {
  const r = exportPolicy(doc, 'aws', { now: new Date('2026-04-01T00:00:00Z') });
  const tf = JSON.parse(r.files[0]!.content) as { resource: Record<string, Record<string, Record<string, unknown>>>; output: { workload_security_groups: { value: Record<string, string[]> } } };
  const sg = (selector: string) => Object.entries(tf.resource.aws_security_group!).find(([, v]) => (v.tags as Record<string, string>)['bulkhead:selector'] === selector)![0];
  it('makes a group per selector and rules between groups as references', () => {
    expect(r.files[0]!.name).toBe('bulkhead-security-groups.tf.json');
    const db = sg('app=shop,role=db');
    const api = sg('app=shop,role=api');
    const ingress = Object.values(tf.resource.aws_vpc_security_group_ingress_rule!);
    expect(ingress).toContainEqual(expect.objectContaining({ security_group_id: `\${aws_security_group.${db}.id}`, referenced_security_group_id: `\${aws_security_group.${api}.id}`, ip_protocol: 'tcp', from_port: 5432, to_port: 5433 }));
    const egress = Object.values(tf.resource.aws_vpc_security_group_egress_rule!);
    expect(egress).toContainEqual(expect.objectContaining({ security_group_id: `\${aws_security_group.${api}.id}`, cidr_ipv4: '198.51.100.10/32', from_port: 443, to_port: 443 }));
    expect(egress).toContainEqual(expect.objectContaining({ ip_protocol: 'icmp', from_port: -1, to_port: -1 }));
    expect(tf.output.workload_security_groups.value['db-1']).toEqual([`\${aws_security_group.${sg('every workload')}.id}`, `\${aws_security_group.${db}.id}`].sort((a, b) => Object.keys(tf.resource.aws_security_group!).indexOf(a.split('.')[1]!) - Object.keys(tf.resource.aws_security_group!).indexOf(b.split('.')[1]!)));
  });
  it('writes a range with exceptions as what remains, and denies single addresses in network ACLs', () => {
    const web = sg('app=shop,role=web');
    const cidrs = Object.values(tf.resource.aws_vpc_security_group_ingress_rule!).filter((x) => x.security_group_id === `\${aws_security_group.${web}.id}` && x.from_port === 443).map((x) => x.cidr_ipv4 as string);
    expect(cidrs.length).toBeGreaterThan(5);
    expect(cidrs.some((c) => c.startsWith('10.'))).toBe(false);
    expect(cidrs).toContain('128.0.0.0/1');
    expect(Object.values(tf.resource.aws_network_acl_rule!)).toEqual([expect.objectContaining({ cidr_block: '192.0.2.66/32', rule_action: 'deny', egress: false, network_acl_id: '${each.value}' })]);
    expect(r.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/network ACLs/), expect.stringMatching(/r-nets: neither side/)]));
  });
});

describe('NSX distributed firewall', () => {
  const body = JSON.parse(exportPolicy(doc, 'nsx', { now: new Date('2026-04-01T00:00:00Z') }).files[0]!.content);
  const domain = body.children.find((c: { resource_type: string }) => c.resource_type === 'ChildResourceReference');
  const groups = domain.children.filter((c: { resource_type: string }) => c.resource_type === 'ChildGroup').map((c: { Group: { id: string } }) => c.Group);
  const policy = domain.children.find((c: { resource_type: string }) => c.resource_type === 'ChildSecurityPolicy').SecurityPolicy;
  it('makes tag groups ANDed per label, services per port set, an allow per rule', () => {
    const db = groups.find((g: { id: string }) => g.id === 'bulkhead-app-shop-role-db');
    expect(db.expression).toEqual([
      { resource_type: 'Condition', member_type: 'VirtualMachine', key: 'Tag', operator: 'EQUALS', value: 'app|shop' },
      { resource_type: 'ConjunctionOperator', conjunction_operator: 'AND' },
      { resource_type: 'Condition', member_type: 'VirtualMachine', key: 'Tag', operator: 'EQUALS', value: 'role|db' },
    ]);
    const rule = policy.rules.find((x: { description?: string }) => x.description === 'r-api-db');
    expect(rule).toMatchObject({ action: 'ALLOW', source_groups: ['/infra/domains/default/groups/bulkhead-app-shop-role-api'], destination_groups: ['/infra/domains/default/groups/bulkhead-app-shop-role-db'] });
    const svc = body.children.find((c: { Service?: { id: string } }) => c.Service && `/infra/services/${c.Service.id}` === rule.services[0]).Service;
    expect(svc.service_entries).toEqual([{ resource_type: 'L4PortSetServiceEntry', id: 'tcp-0', display_name: 'tcp 5432-5433', l4_protocol: 'TCP', destination_ports: ['5432-5433'] }]);
  });
  it('drops exceptions just before the allow, and everything else at the end', () => {
    const seq = policy.rules.map((x: { id: string; action: string; sequence_number: number }) => [x.id, x.action, x.sequence_number]);
    const drop = seq.findIndex(([id]: [string]) => id === 'bulkhead-r-internet-except-source');
    expect(seq[drop]![1]).toBe('DROP');
    expect(seq[drop + 1]![0]).toBe('bulkhead-r-internet');
    expect(seq[drop + 1]![2]).toBeGreaterThan(seq[drop]![2]);
    expect(groups.find((g: { id: string }) => g.id === 'bulkhead-except-r-internet-source').expression[0].ip_addresses).toEqual(['10.0.0.0/8', '192.0.2.66/32']);
    expect(seq[seq.length - 1]).toEqual(['bulkhead-default-drop', 'DROP', expect.any(Number)]);
    expect(policy.rules.some((x: { description?: string }) => x.description === 'r-expired')).toBe(false);
  });
});

describe('nftables, one ruleset per host', () => {
  const r = exportPolicy(doc, 'nftables', { now: new Date('2026-04-01T00:00:00Z') });
  const file = (host: string) => r.files.find((f) => f.name === `${host}.nft`)!.content;
  it('allows each host exactly what the rules give it, both ways', () => {
    expect(r.files.map((f) => f.name).sort()).toEqual(['api-1.nft', 'db-1.nft', 'dns-1.nft', 'mon-1.nft', 'web-1.nft']);
    const db = file('db-1');
    expect(db).toMatch(/chain input \{\n\s+type filter hook input priority filter; policy drop;/);
    expect(db).toContain('ip saddr 10.10.0.21 tcp dport 5432-5433 accept comment "r-api-db');
    expect(db).toContain('ip saddr 10.0.0.4 tcp dport 9100 accept');
    expect(db).toContain('ip daddr 10.0.0.3 udp dport 53 accept');
    expect(db).not.toContain('r-expired');
    const web = file('web-1');
    expect(web).toContain('ip saddr != { 10.0.0.0/8, 192.0.2.66/32 } tcp dport 443 accept');
    expect(web).toContain('ip daddr 10.10.0.21 tcp dport 8080 accept');
    const api = file('api-1');
    expect(api).toContain('ip daddr 198.51.100.10 tcp dport 443 accept');
    expect(api).toContain('ip saddr 10.10.0.11 tcp dport 8080 accept');
    expect(file('mon-1')).toMatch(/ip daddr \{ [0-9., ]+\} meta l4proto \{ icmp, ipv6-icmp \} accept/);
  });
  it('passes nft -c (in a network namespace of its own: the host ruleset is never touched)', () => {
    const checks = checkNftables(r.files);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks).toHaveLength(5);
  });
  it('is caught by nft -c when broken', () => {
    const broken = [{ name: 'broken.nft', content: file('db-1').replace('tcp dport 5432-5433', 'tcp dport 5433-5432') }];
    const [c] = checkNftables(broken);
    expect(c!.ok).toBe(false);
    expect(c!.error).toMatch(/broken\.nft:\d+/);
  });
});

describe('the baseline export', () => {
  it('is the document itself, YAML with a comment naming the schema', () => {
    const r = exportPolicy(doc, 'baseline');
    expect(r.files[0]!.content.split('\n')[0]).toMatch(/schema: docs\/baseline\.schema\.json/);
    expect(parseYaml(r.files[0]!.content)).toEqual(doc);
  });
});

describe('enforcement states: approving and enforcing one application leaves every other open', () => {
  const now = new Date('2026-04-01T00:00:00Z');
  const staged: BaselineDoc = {
    ...doc,
    enforcement: [
      { application: 'monitoring', environment: '', state: 'test' },
      { application: 'shop', environment: 'prod', state: 'enforced' },
    ],
  };
  const nft = exportPolicy(staged, 'nftables', { now });
  const host = (name: string) => nft.files.find((f) => f.name === `${name}.nft`)!.content;

  it('nftables: drops by default only on hosts of the enforced application', () => {
    for (const h of ['web-1', 'api-1', 'db-1']) {
      expect(host(h)).toMatch(/hook input priority filter; policy drop;/);
      expect(host(h)).toMatch(/hook output priority filter; policy drop;/);
    }
    expect(host('db-1')).toContain('ip saddr 10.10.0.21 tcp dport 5432-5433 accept');
    const dns = host('dns-1');
    expect(dns).not.toMatch(/drop/);
    expect(dns).toMatch(/hook input priority filter; policy accept;\n\s+\}/);
    expect(dns).toContain('# Enforcement: visibility for dns');
  });

  it('nftables: a host in test accepts what its rules allow, then logs and accepts the rest', () => {
    const mon = host('mon-1');
    expect(mon).not.toMatch(/drop/);
    expect(mon).toContain('policy accept;');
    expect(mon).toContain('tcp dport 9100 accept');
    expect(mon).toMatch(/accept comment "r-mon[^\n]*\n\s+log prefix "bulkhead-test output: " accept\n\s+\}/);
    expect(mon).toMatch(/log prefix "bulkhead-test input: " accept\n\s+\}/);
  });

  it('nftables: every state passes nft -c', () => {
    expect(checkNftables(nft.files).filter((c) => !c.ok)).toEqual([]);
  });

  it('nftables: with no enforcement at all (a baseline without states), nothing drops anywhere', () => {
    const { enforcement: _none, ...plain } = doc;
    for (const f of exportPolicy(plain, 'nftables', { now }).files) expect(f.content).not.toMatch(/drop/);
  });

  it('Kubernetes and Cilium: isolate only pods of the enforced application, and say test has no policy form', () => {
    // a pod of another application in the same namespace, not enforced, with labels close to shop's
    const cart = { name: 'cart-1', addresses: ['10.10.0.41'], labels: { app: 'cart', env: 'prod' }, kubernetes: { namespace: 'shop', labels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'web', tier: 'canary' } } };
    const two: BaselineDoc = { ...staged, workloads: [...staged.workloads, cart] };
    for (const f of ['kubernetes', 'cilium'] as const) {
      const r = exportPolicy(two, f, { now });
      const objs = objects(r.files[0]!.content);
      expect(objs.map((o) => o.metadata.name).sort()).toEqual(['bulkhead-postgres', 'bulkhead-storefront-api', 'bulkhead-storefront-web']);
      // the web policy selects web-1 and not cart-1, which carries its labels and one more
      const web = objs.find((o) => o.metadata.name === 'bulkhead-storefront-web')!;
      expect(web.spec[f === 'kubernetes' ? 'podSelector' : 'endpointSelector']).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] });
      // monitoring (in test, a VM) still reaches the enforced pods: its rule is on their side only
      expect(objs.filter((o) => rulesOf(o).includes('r-mon'))).toHaveLength(3);
      expect(r.warnings).toContainEqual(expect.stringMatching(/^monitoring \(no env label\) is in test: (NetworkPolicy has no log-only form|a CiliumNetworkPolicy cannot log)/));
      expect(r.files[0]!.content).toContain('# Enforced (default deny): shop@prod');
    }
  });

  it('Calico: enforces only the enforced application, stages the one in test, selects nothing else', () => {
    const objs = objects(exportPolicy(staged, 'calico', { now }).files[0]!.content);
    const enforcedObjs = objs.filter((o) => o.kind === 'GlobalNetworkPolicy');
    const testObjs = objs.filter((o) => o.kind === 'StagedGlobalNetworkPolicy');
    expect(enforcedObjs.length + testObjs.length).toBe(objs.length);
    for (const o of enforcedObjs) expect(o.spec.selector).toMatch(/app == 'shop' && env == 'prod'\)?$/);
    for (const o of testObjs) expect(o.spec).toMatchObject({ stagedAction: 'Set', selector: expect.stringMatching(/app == 'monitoring' && !has\(env\)\)?$/) });
    expect(enforcedObjs.find((o) => o.metadata.name === 'bulkhead-default-deny')!.spec.selector).toBe("app == 'shop' && env == 'prod'");
    expect(objs.filter((o) => /app == 'dns'/.test(String(o.spec.selector)))).toEqual([]);
    const { enforcement: _none, ...plain } = doc;
    const none = exportPolicy(plain, 'calico', { now });
    expect(objects(none.files[0]!.content).filter(Boolean)).toEqual([]);
    expect(none.warnings).toContainEqual(expect.stringMatching(/no application is enforced or in test/));
    // the staged format stays the dry run of all of it
    expect(objects(exportPolicy(plain, 'calico-staged', { now }).files[0]!.content).find((o) => o.metadata.name === 'bulkhead-default-deny')!.spec.selector).toBe('all()');
  });

  it('Cilium: with nothing enforced, no policy at all', () => {
    const { enforcement: _none, ...plain } = doc;
    expect(objects(exportPolicy(plain, 'cilium', { now }).files[0]!.content).filter(Boolean)).toEqual([]);
  });

  it('AWS: every instance keeps its groups (references need members); those not enforced also carry bulkhead-open', () => {
    type Tf = { resource: Record<string, Record<string, Record<string, unknown>>>; output: { workload_security_groups: { value: Record<string, string[]> } } };
    const r = exportPolicy(staged, 'aws', { now });
    const tf = JSON.parse(r.files[0]!.content) as Tf;
    const open = '${aws_security_group.sg_bulkhead_open.id}';
    expect(tf.resource.aws_security_group!.sg_bulkhead_open).toMatchObject({ name: 'bulkhead-open' });
    const attach = tf.output.workload_security_groups.value;
    for (const w of ['web-1', 'api-1', 'db-1']) expect(attach[w]).not.toContain(open);
    for (const w of ['dns-1', 'mon-1']) expect(attach[w]).toContain(open);
    const openRules = [...Object.values(tf.resource.aws_vpc_security_group_ingress_rule!), ...Object.values(tf.resource.aws_vpc_security_group_egress_rule!)].filter((x) => x.security_group_id === open);
    expect(openRules.map((x) => [x.cidr_ipv4 ?? x.cidr_ipv6, x.ip_protocol])).toEqual([['0.0.0.0/0', '-1'], ['::/0', '-1'], ['0.0.0.0/0', '-1'], ['::/0', '-1']]);
    expect(r.warnings).toContainEqual(expect.stringMatching(/^monitoring \(no env label\) is in test: security groups cannot log/));
    // nothing enforced: every instance open, and no subnet-wide ACL deny
    const { enforcement: _none, ...plain } = doc;
    const none = JSON.parse(exportPolicy(plain, 'aws', { now }).files[0]!.content) as Tf;
    for (const groups of Object.values(none.output.workload_security_groups.value)) expect(groups).toContain(open);
    expect(none.resource.aws_network_acl_rule).toBeUndefined();
  });

  it('a rule naming one workload is written only for the application and environment that workload is in', () => {
    const two: BaselineDoc = {
      ...staged,
      enforcement: [...staged.enforcement!, { application: 'dns', environment: '', state: 'enforced' }],
      rules: [{ id: 'r-one', action: 'allow', from: { labels: { workload: 'api-1' } }, to: { labels: { workload: 'db-1' } }, ports: [{ protocol: 'tcp', port: 5432 }], intent: 'one host to another', status: 'approved' }],
    };
    for (const f of ['kubernetes', 'cilium'] as const) {
      const objs = objects(exportPolicy(two, f, { now }).files[0]!.content).filter((o) => rulesOf(o).includes('r-one'));
      expect(objs.map((o) => o.metadata.name).sort()).toEqual(['bulkhead-postgres', 'bulkhead-storefront-api']);
    }
    const calico = byRule(objects(exportPolicy(two, 'calico', { now }).files[0]!.content), 'r-one');
    expect(calico.map((o) => o.spec.selector)).toEqual(["bulkhead.io/workload == 'db-1' && (app == 'shop' && env == 'prod')", "bulkhead.io/workload == 'api-1' && (app == 'shop' && env == 'prod')"]);
  });

  it('NSX: the final drop applies to the enforced workloads only, those in test log and let through, the rest get no rule', () => {
    type NsxRule = { id: string; action: string; scope: string[]; logged: boolean };
    const nsx = (d: BaselineDoc) => {
      const r = exportPolicy(d, 'nsx', { now });
      const body = JSON.parse(r.files[0]!.content);
      const domain = body.children.find((c: { resource_type: string }) => c.resource_type === 'ChildResourceReference');
      const groups = new Map<string, { expression: Array<{ ip_addresses?: string[] }> }>(domain.children.filter((c: { Group?: unknown }) => c.Group).map((c: { Group: { id: string } }) => [`/infra/domains/default/groups/${c.Group.id}`, c.Group]));
      const policy = domain.children.find((c: { resource_type: string }) => c.resource_type === 'ChildSecurityPolicy').SecurityPolicy as { scope: string[]; rules: NsxRule[] };
      const addressesOf = (scope: string[]) => scope.flatMap((g) => groups.get(g)!.expression.flatMap((e) => e.ip_addresses ?? [])).sort();
      return { r, policy, addressesOf };
    };
    const { policy, addressesOf } = nsx(staged);
    // a policy-level Applied To would override the rules' own
    expect(policy.scope).toEqual(['ANY']);
    const shop = ['10.10.0.11', '10.10.0.21', '10.10.0.31', '2001:db8:10::11'];
    const drop = policy.rules.find((x) => x.id === 'bulkhead-default-drop')!;
    expect(drop).toMatchObject({ action: 'DROP', logged: true });
    expect(addressesOf(drop.scope)).toEqual(shop);
    const log = policy.rules.find((x) => x.id === 'bulkhead-test-log')!;
    expect(log).toMatchObject({ action: 'ALLOW', logged: true });
    expect(addressesOf(log.scope)).toEqual(['10.0.0.4']);
    expect(policy.rules.slice(-2).map((x) => x.id)).toEqual(['bulkhead-default-drop', 'bulkhead-test-log']);
    // no rule applies on dns-1 (visibility), and every DROP applies only where enforced
    for (const x of policy.rules) expect(addressesOf(x.scope)).not.toContain('10.0.0.3');
    for (const x of policy.rules.filter((y) => y.action === 'DROP')) expect(addressesOf(x.scope)).toEqual(shop);
    // the exceptions of r-internet: dropped on shop, logged on monitoring
    expect(policy.rules.filter((x) => x.id.startsWith('bulkhead-r-internet-except')).map((x) => [x.action, addressesOf(x.scope)])).toEqual([['DROP', shop], ['ALLOW', ['10.0.0.4']]]);

    // nothing enforced or in test: no rule at all, and the export says so
    const { enforcement: _none, ...plain } = doc;
    const none = nsx(plain);
    expect(none.policy.rules).toEqual([]);
    expect(none.r.warnings).toContainEqual(expect.stringMatching(/no application is enforced/));
  });

  it('Kubernetes: with nothing enforced, no policy at all', () => {
    const { enforcement: _none, ...plain } = doc;
    expect(objects(exportPolicy(plain, 'kubernetes', { now }).files[0]!.content).filter(Boolean)).toEqual([]);
  });

  it('the baseline carries each application\'s state and reads it back', () => {
    const text = exportPolicy(staged, 'baseline').files[0]!.content;
    expect(parseBaseline(text).enforcement).toEqual(staged.enforcement);
    expect(() => parseBaseline(text.replace('state: test', 'state: blocking'))).toThrow(/enforcement\.0\.state/);
  });
});

describe('an application discovery inferred and nobody confirmed', () => {
  // orders runs in Kubernetes; vm-41501 is a VM whose application only discovery named
  const view = makeView([
    { id: 'w1', name: 'orders/orders-api-7c9d-x1', labels: { app: 'orders', env: 'prod' }, suggested: [], addresses: ['10.244.0.7'], kubernetes: { namespace: 'orders', labels: { 'app.kubernetes.io/name': 'orders-api', 'pod-template-hash': '7c9d' } } },
    { id: 'w2', name: 'vm-41501', labels: { app: 'app-vm-41501', env: 'prod' }, suggested: ['app'], addresses: ['10.20.0.5', '2001:db8:20::5'] },
  ]);
  const rules: Parameters<typeof buildBaseline>[0]['rules'] = [
    { id: 'r-call', from: { labels: { app: 'orders' } }, to: { labels: { app: 'app-vm-41501', env: 'prod' } }, ports: [{ protocol: 'tcp' as const, port: 8443 }], intent: 'orders calls a backend', owner: 'orders', expires: null, status: 'approved' as const },
    { id: 'r-back', from: { labels: { app: 'app-vm-41501' } }, to: { labels: { app: 'orders' } }, ports: [{ protocol: 'tcp' as const, port: 8080 }], intent: 'the backend calls back', owner: 'orders', expires: null, status: 'approved' as const },
  ];
  const enforcement = [
    { application: 'app-vm-41501', environment: 'prod', state: 'enforced' as const },
    { application: 'orders', environment: 'prod', state: 'enforced' as const },
  ];
  const inferredDoc = buildBaseline({ name: 'orders', rules, view, enforcement, generatedAt: new Date('2026-03-29T00:00:00Z') });
  // the selector of the name in any syntax: app: X, "app": "X", app=X, app == 'X', app|X, and ids made of them
  const selectorOfName = /app[\s:=|"'_-]{1,6}app[-_]vm[-_]41501/;

  it('is never a selector in any export; its members are addresses; the baseline names it marked inferred', () => {
    const now = new Date('2026-04-01T00:00:00Z');
    for (const f of EXPORT_FORMATS) {
      const r = exportPolicy(inferredDoc, f, { now });
      for (const file of r.files) {
        if (f === 'baseline') continue;
        expect(file.content, `${f}: ${file.name}`).not.toMatch(selectorOfName);
      }
    }
    const baseline = parseYaml(exportPolicy(inferredDoc, 'baseline').files[0]!.content) as BaselineDoc;
    expect(baseline.applications).toEqual([{ name: 'app-vm-41501', inferred: true }, { name: 'orders', inferred: false }]);

    const k8s = objects(exportPolicy(inferredDoc, 'kubernetes', { now }).files[0]!.content);
    expect(k8s.map((o) => o.metadata.name)).toEqual(['bulkhead-orders-api']);
    expect(k8s[0]!.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.20.0.5/32' } }, { ipBlock: { cidr: '2001:db8:20::5/128' } }], ports: [{ protocol: 'TCP', port: 8443 }] });
    expect(k8s[0]!.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.20.0.5/32' } }, { ipBlock: { cidr: '2001:db8:20::5/128' } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const cilium = objects(exportPolicy(inferredDoc, 'cilium', { now }).files[0]!.content);
    expect(cilium[0]!.spec.ingress).toEqual([{ fromCIDRSet: [{ cidr: '10.20.0.5/32' }, { cidr: '2001:db8:20::5/128' }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }]);

    const calico = exportPolicy(inferredDoc, 'calico', { now });
    const egress = objects(calico.files[0]!.content).filter((o) => (o.spec.types as string[] | undefined)?.[0] === 'Egress');
    expect(egress.flatMap((o) => (o.spec.egress as Array<{ destination: { nets?: string[] } }>).map((e) => e.destination.nets)).flat().sort()).toEqual(['10.20.0.5/32', '2001:db8:20::5/128']);
    expect(calico.warnings).toContainEqual(expect.stringMatching(/app-vm-41501@prod is enforced but its application is inferred.*left open/));

    const aws = exportPolicy(inferredDoc, 'aws', { now });
    const tf = JSON.parse(aws.files[0]!.content) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.values(tf.resource.aws_vpc_security_group_egress_rule!).filter((x) => x.description !== 'not enforced: everything allowed').map((x) => x.cidr_ipv4 ?? x.cidr_ipv6).sort()).toEqual(['10.20.0.5/32', '2001:db8:20::5/128']);
    expect(aws.warnings).toContainEqual(expect.stringMatching(/app-vm-41501@prod is enforced but its application is inferred.*bulkhead-open/));
    const nsx = exportPolicy(inferredDoc, 'nsx', { now }).files[0]!.content;
    expect(nsx).toContain('"10.20.0.5/32"');
    expect(exportPolicy(inferredDoc, 'nftables', { now }).files.find((x) => x.name === 'vm-41501.nft')!.content).toContain('ip saddr 10.244.0.7 tcp dport 8443 accept');
  });
});
