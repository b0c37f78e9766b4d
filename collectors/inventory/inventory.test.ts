// Inventory adapters on small exports of each kind (our own, shaped as the tools print them),
// format detection, and VM identity taken from flows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { applyInventory } from '../../lib/inventory';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { detectJsonFormat, fromFlows, parseInventory } from './index';
import { parseAllDocuments } from 'yaml';
import { buildBaseline, exportPolicy } from '../../lib/export';
import { loadPolicyView } from '../../lib/policy/labels';

const byName = <T extends { name: string }>(xs: T[]) => Object.fromEntries(xs.map((x) => [x.name, x]));

describe('inventory JSON and CSV', () => {
  it('reads addresses as strings or intervals, keeps unknown fields as attributes, names bad entries by path', () => {
    const { format, result } = parseInventory(
      JSON.stringify([
        { name: 'web-1', addresses: ['10.0.0.5', { ip: '10.0.0.6', from: '2026-03-01T00:00:00Z', to: null }], labels: { app: 'shop', tier: 3 }, instanceId: 'i-1', owner: 'team-a' },
        { name: 'db-1', addresses: [{ ip: '10.0.0.9', from: '2026-03-01', to: '2026-03-02T12:00' }] },
        { name: 'bad-time', addresses: [{ ip: '10.0.0.7', from: 'yesterday' }] },
        { addresses: ['10.0.0.8'] },
      ]),
    );
    expect(format).toBe('json');
    const w = byName(result.observations);
    expect(w['web-1']).toEqual({
      name: 'web-1',
      addresses: [{ ip: '10.0.0.5' }, { ip: '10.0.0.6', from: new Date('2026-03-01T00:00:00Z'), to: null }],
      labels: { app: 'shop', tier: '3' },
      attributes: { instanceId: 'i-1', owner: 'team-a' },
    });
    // times without a zone are UTC
    expect(w['db-1']!.addresses[0]).toEqual({ ip: '10.0.0.9', from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T12:00:00Z') });
    expect(result.errors).toEqual([
      { where: '[2].addresses[0].from', reason: '"yesterday" is not an ISO-8601 time' },
      { where: '[3].name', reason: expect.stringMatching(/string/) },
    ]);
  });

  it('reads CSV: name, addresses split on ; or spaces, every other column a label', () => {
    const { format, result } = parseInventory('\uFEFFname,addresses,app,env,owner\nweb-1,10.0.0.5;10.0.0.6,shop,prod,\n"db 1","10.0.0.9 2001:db8::9",shop,prod,dba team\n,10.0.0.10,x,y,z\nbad,10.0.0.11,a,b,c,extra\n');
    expect(format).toBe('csv');
    expect(result.observations).toEqual([
      { name: 'web-1', addresses: [{ ip: '10.0.0.5' }, { ip: '10.0.0.6' }], labels: { app: 'shop', env: 'prod' } },
      { name: 'db 1', addresses: [{ ip: '10.0.0.9' }, { ip: '2001:db8::9' }], labels: { app: 'shop', env: 'prod', owner: 'dba team' } },
    ]);
    expect(result.errors.map((e) => e.where)).toEqual(['line 4', 'line 5']);
    expect(parseInventory('host,ip\nx,1.2.3.4\n').result.observations).toEqual([{ name: 'x', addresses: [{ ip: '1.2.3.4' }], labels: {} }]);
    expect(parseInventory('vm;addr\nx;1.2.3.4\n').result.errors[0]!.reason).toMatch(/needs a "name" and an "addresses" column/);
  });

  it('keeps every CSV line around one with a quote left open, and names that line', () => {
    const { result } = parseInventory('name,addresses,app\r\nweb-1,10.0.0.5,shop\r\n"web-2,10.0.0.6,shop\r\n\r\nweb-3,10.0.0.7,shop\r\n');
    expect(result.observations.map((o) => o.name)).toEqual(['web-1', 'web-3']);
    expect(result.errors).toEqual([{ where: 'line 3', reason: expect.stringMatching(/quote/i) }]);
  });
});

describe('vCenter exports', () => {
  it('reads govc vm.info -json (PascalCase and camelCase) and PowerCLI Get-VM JSON', () => {
    const govc = {
      VirtualMachines: [
        {
          Self: { Type: 'VirtualMachine', Value: 'vm-101' },
          Name: 'web-01',
          Config: { Name: 'web-01', Uuid: '4212a1b2-0000-0000-0000-000000000001', InstanceUuid: '5012c3d4-0000-0000-0000-000000000001' },
          Guest: { HostName: 'web-01.shop.local', IpAddress: '10.1.0.11', Net: [{ Network: 'app', IpAddress: ['10.1.0.11', 'fe80::250:56ff:fe01:1'], MacAddress: '00:50:56:01:00:01' }] },
          Runtime: { Host: { Type: 'HostSystem', Value: 'host-12' }, PowerState: 'poweredOn' },
        },
        { Name: 'old-02', Config: { InstanceUuid: '5012c3d4-0000-0000-0000-000000000002' }, Guest: { IpAddress: '10.1.0.12' }, Runtime: { PowerState: 'poweredOff' } },
      ],
    };
    expect(detectJsonFormat(govc)).toBe('vcenter');
    const r = parseInventory(JSON.stringify(govc)).result;
    const w = byName(r.observations);
    expect(w['web-01']).toMatchObject({
      kind: 'vm',
      externalId: 'vm:5012c3d4-0000-0000-0000-000000000001',
      addresses: [{ ip: '10.1.0.11' }, { ip: 'fe80::250:56ff:fe01:1' }],
      attributes: { uuid: '4212a1b2-0000-0000-0000-000000000001', moref: 'vm-101', host: 'host-12', powerState: 'poweredOn', guestHostName: 'web-01.shop.local' },
    });
    expect(w['old-02']!.addresses).toEqual([]);
    expect(r.skipped).toEqual([{ what: 'old-02: 1 address(es)', reason: 'the VM is powered off' }]);

    const camel = { virtualMachines: [{ name: 'app-01', config: { instanceUuid: 'ABC' }, guest: { net: [{ ipAddress: ['10.1.0.21'] }] }, runtime: { powerState: 'poweredOn' } }] };
    expect(parseInventory(JSON.stringify(camel)).result.observations[0]).toMatchObject({ name: 'app-01', externalId: 'vm:abc', addresses: [{ ip: '10.1.0.21' }] });

    const powercli = [
      { Name: 'db-01', PowerState: 1, IPAddress: ['10.1.0.31'], VMHost: 'esx-3.shop.local', Cluster: 'prod-a', Tags: ['app/shop', 'env/prod', 'backup'], PersistentId: '5012c3d4-0000-0000-0000-000000000031', Id: 'VirtualMachine-vm-131' },
      { Name: 'dev-01', PowerState: 'PoweredOn', Guest: { IPAddress: ['10.1.0.41'] }, VMHost: { Name: 'esx-4' } },
    ];
    expect(detectJsonFormat(powercli)).toBe('vcenter');
    const p = byName(parseInventory(JSON.stringify(powercli)).result.observations);
    expect(p['db-01']).toMatchObject({ labels: { app: 'shop', env: 'prod', backup: 'true' }, attributes: { host: 'esx-3.shop.local', cluster: 'prod-a', moref: 'vm-131' }, addresses: [{ ip: '10.1.0.31' }] });
    expect(p['dev-01']).toMatchObject({ addresses: [{ ip: '10.1.0.41' }], attributes: { host: 'esx-4' } });
  });
});

describe('Kubernetes', () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        kind: 'Pod',
        metadata: { name: 'checkout-7d4b9c8f5d-x2x9q', namespace: 'shop', uid: 'u-1', labels: { 'app.kubernetes.io/name': 'checkout', 'pod-template-hash': '7d4b9c8f5d' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'checkout-7d4b9c8f5d', controller: true }] },
        spec: { nodeName: 'node-a' },
        status: { phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00:10:244::7' }], startTime: '2026-03-01T10:00:00Z' },
      },
      { kind: 'Pod', metadata: { name: 'db-0', namespace: 'shop', uid: 'u-2', labels: { tier: 'database' }, ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }] }, spec: {}, status: { phase: 'Running', podIP: '10.244.2.9' } },
      { kind: 'Pod', metadata: { name: 'kube-proxy-abc', namespace: 'kube-system' }, spec: { hostNetwork: true }, status: { phase: 'Running', podIP: '192.168.1.10' } },
      { kind: 'Pod', metadata: { name: 'migrate-1', namespace: 'shop' }, spec: {}, status: { phase: 'Succeeded', podIP: '10.244.1.99' } },
      { kind: 'Service', metadata: { name: 'checkout', namespace: 'shop', uid: 's-1', labels: { app: 'shop' } }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } },
      { kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: 'None' } },
      { kind: 'Node', metadata: { name: 'node-a', uid: 'n-1', labels: { 'topology.kubernetes.io/zone': 'eu-1a' } }, spec: { providerID: 'aws:///eu-west-1a/i-0abc' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'node-a' }] } },
    ],
  };

  it('reads pods (owner, labels, start time), services and nodes, and says what it left out', () => {
    expect(detectJsonFormat(list)).toBe('kubernetes');
    const r = parseInventory(JSON.stringify(list)).result;
    const w = byName(r.observations);
    expect(Object.keys(w).sort()).toEqual(['node-a', 'shop/checkout (service)', 'shop/checkout-7d4b9c8f5d-x2x9q', 'shop/db-0']);
    expect(w['shop/checkout-7d4b9c8f5d-x2x9q']).toEqual({
      name: 'shop/checkout-7d4b9c8f5d-x2x9q',
      kind: 'pod',
      externalId: 'k8s:u-1',
      addresses: [
        { ip: '10.244.1.7', from: new Date('2026-03-01T10:00:00Z') },
        { ip: 'fd00:10:244::7', from: new Date('2026-03-01T10:00:00Z') },
      ],
      labels: { 'app.kubernetes.io/name': 'checkout', 'pod-template-hash': '7d4b9c8f5d', app: 'checkout', role: 'checkout' },
      attributes: { namespace: 'shop', podLabels: { 'app.kubernetes.io/name': 'checkout', 'pod-template-hash': '7d4b9c8f5d' }, node: 'node-a', ownerKind: 'Deployment', owner: 'checkout', phase: 'Running' },
    });
    expect(w['shop/db-0']!.labels).toMatchObject({ role: 'database' });
    expect(w['shop/checkout (service)']).toMatchObject({ kind: 'service', addresses: [{ ip: '10.96.0.20' }, { ip: '203.0.113.10' }], labels: { app: 'shop' } });
    expect(w['node-a']).toMatchObject({ kind: 'node', addresses: [{ ip: '192.168.1.10' }], attributes: { providerID: 'aws:///eu-west-1a/i-0abc' } });
    expect(r.skipped.map((s) => s.what)).toEqual(['pod kube-system/kube-proxy-abc', 'pod shop/migrate-1', 'service shop/db']);
  });

  it('keeps each pod\'s namespace and own labels for the Kubernetes exports, apart from the app and role Bulkhead derives', async () => {
    const rt = await openRuntime(testConfig());
    try {
      await applyInventory(rt.db.prisma, rt.store, parseInventory(JSON.stringify(list)).result.observations, { source: 'kubernetes' });
      const view = await loadPolicyView(rt.db.prisma, { all: true });
      expect(view.byName.get('shop/checkout-7d4b9c8f5d-x2x9q')!.kubernetes).toEqual({ namespace: 'shop', labels: { 'app.kubernetes.io/name': 'checkout', 'pod-template-hash': '7d4b9c8f5d' } });
      expect(view.byName.get('shop/checkout-7d4b9c8f5d-x2x9q')!.labels).toMatchObject({ app: 'checkout', role: 'checkout' });
      // services and nodes are not pods: addresses in the exports
      expect(view.byName.get('shop/checkout (service)')!.kubernetes).toBeUndefined();
      expect(view.byName.get('node-a')!.kubernetes).toBeUndefined();
      const doc = buildBaseline({
        name: 'shop',
        view,
        rules: [{ id: 'r1', from: { labels: { role: 'checkout' } }, to: { labels: { role: 'database' } }, ports: [{ protocol: 'tcp', port: 5432 }], intent: 'checkout uses its database', owner: null, expires: null, status: 'approved' }],
        enforcement: [{ application: 'checkout', environment: '', state: 'enforced' }],
      });
      const objs = parseAllDocuments(exportPolicy(doc, 'kubernetes').files[0]!.content).map((d) => d.toJS());
      expect(objs).toMatchObject([
        {
          metadata: { name: 'bulkhead-checkout', namespace: 'shop', annotations: { 'bulkhead.io/rules': 'r1' } },
          spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } }, egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { tier: 'database' } } }] }, expect.anything()] },
        },
      ]);
    } finally {
      await rt.close();
    }
  });
});

describe('AWS EC2', () => {
  it('reads describe-instances: Name tag and id, ENI attach times, public and IPv6 addresses, terminated instances', () => {
    const doc = {
      Reservations: [
        {
          Instances: [
            {
              InstanceId: 'i-0aaa',
              InstanceType: 't3.small',
              State: { Name: 'running' },
              LaunchTime: '2026-02-01T08:00:00+00:00',
              PrivateIpAddress: '10.0.1.10',
              PublicIpAddress: '54.1.2.3',
              VpcId: 'vpc-1',
              Tags: [{ Key: 'Name', Value: 'web' }, { Key: 'app', Value: 'shop' }],
              NetworkInterfaces: [
                { NetworkInterfaceId: 'eni-1', Attachment: { AttachTime: '2026-02-01T08:00:05+00:00' }, PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.10', Primary: true, Association: { PublicIp: '54.1.2.3' } }], Ipv6Addresses: [{ Ipv6Address: '2600:1f18::10' }] },
              ],
            },
            { InstanceId: 'i-0bbb', State: { Name: 'terminated' }, Tags: [] },
          ],
        },
      ],
    };
    expect(detectJsonFormat(doc)).toBe('aws');
    const r = parseInventory(JSON.stringify(doc)).result;
    const w = byName(r.observations);
    expect(w['web (i-0aaa)']).toMatchObject({
      externalId: 'aws:i-0aaa',
      kind: 'instance',
      labels: { app: 'shop' },
      addresses: [
        { ip: '10.0.1.10', from: new Date('2026-02-01T08:00:05Z') },
        { ip: '54.1.2.3' },
        { ip: '2600:1f18::10', from: new Date('2026-02-01T08:00:05Z') },
      ],
      attributes: { instanceId: 'i-0aaa', instanceType: 't3.small', vpcId: 'vpc-1', state: 'running', enis: ['eni-1'] },
    });
    expect(w['i-0bbb']!.addresses).toEqual([]);
  });

  it('reads describe-network-interfaces: instance ENIs join their instance, load balancers are one workload', () => {
    const doc = {
      NetworkInterfaces: [
        { NetworkInterfaceId: 'eni-1', InterfaceType: 'interface', Attachment: { InstanceId: 'i-0aaa' }, PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.10' }] },
        { NetworkInterfaceId: 'eni-2', InterfaceType: 'interface', Attachment: { InstanceId: 'i-0aaa' }, PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.11' }] },
        { NetworkInterfaceId: 'eni-3', InterfaceType: 'interface', Description: 'ELB app/shop-alb/50dc6c495c0c9188', RequesterId: 'amazon-elb', PrivateIpAddresses: [{ PrivateIpAddress: '10.0.2.5' }] },
        { NetworkInterfaceId: 'eni-4', InterfaceType: 'interface', Description: 'ELB app/shop-alb/50dc6c495c0c9188', PrivateIpAddresses: [{ PrivateIpAddress: '10.0.3.5' }] },
        { NetworkInterfaceId: 'eni-5', InterfaceType: 'nat_gateway', Description: 'Interface for NAT Gateway nat-0123abcd', PrivateIpAddresses: [{ PrivateIpAddress: '10.0.0.7', Association: { PublicIp: '3.4.5.6' } }] },
      ],
    };
    const w = byName(parseInventory(JSON.stringify(doc)).result.observations);
    expect(w['i-0aaa']).toMatchObject({ provisionalName: true, externalId: 'aws:i-0aaa', addresses: [{ ip: '10.0.1.10' }, { ip: '10.0.1.11' }], attributes: { enis: ['eni-1', 'eni-2'] } });
    expect(w['elb app/shop-alb/50dc6c495c0c9188']).toMatchObject({ kind: 'service', addresses: [{ ip: '10.0.2.5' }, { ip: '10.0.3.5' }] });
    expect(w['nat-0123abcd']).toMatchObject({ addresses: [{ ip: '10.0.0.7' }, { ip: '3.4.5.6' }] });
  });

  it('does not rename an instance named by describe-instances when its ENIs are imported', async () => {
    const rt = await openRuntime(testConfig());
    try {
      const inst = parseInventory(JSON.stringify({ Reservations: [{ Instances: [{ InstanceId: 'i-0ccc', State: { Name: 'running' }, PrivateIpAddress: '10.0.5.5', Tags: [{ Key: 'Name', Value: 'api' }] }] }] })).result;
      await applyInventory(rt.db.prisma, null, inst.observations, { source: 'aws' });
      const enis = parseInventory(JSON.stringify({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-9', Attachment: { InstanceId: 'i-0ccc' }, PrivateIpAddresses: [{ PrivateIpAddress: '10.0.5.5' }, { PrivateIpAddress: '10.0.5.6' }] }] })).result;
      const r = await applyInventory(rt.db.prisma, null, enis.observations, { source: 'aws' });
      expect(r.workloads).toMatchObject({ created: 0, renamed: 0 });
      const w = await rt.db.prisma.workload.findUniqueOrThrow({ where: { externalId: 'aws:i-0ccc' }, include: { addresses: true } });
      expect(w.name).toBe('api (i-0ccc)');
      expect(w.addresses.map((a) => a.ip).sort()).toEqual(['10.0.5.5', '10.0.5.6']);
    } finally {
      await rt.close();
    }
  });
});

describe('VM identity in flows', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('binds the addresses the flows show for each VM, under its vCenter name when vCenter knows its UUID', async () => {
    await applyInventory(rt.db.prisma, rt.store, [{ name: 'web-01', kind: 'vm', externalId: 'vm:5012c3d4-0000-0000-0000-000000000001', addresses: [], attributes: { uuid: '4212a1b2-0000-0000-0000-000000000001' } }], { source: 'vcenter' });
    const t = Date.UTC(2026, 3, 1, 10);
    const rec = (srcAddr: string, srcVm: string, start: number, kind: 'ipfix' | 'aws' = 'ipfix') => ({
      start, end: start, srcAddr, dstAddr: '10.9.9.9', srcPort: 40000, dstPort: 443, protocol: 6, bytes: 1, packets: 1,
      serverSide: 'dst' as const, orientation: 'port' as const, sourceKind: kind, exporter: 'x', srcVm,
    });
    await rt.store.insertFlows([
      rec('10.1.0.11', '4212a1b2-0000-0000-0000-000000000001', t + 5000),
      rec('10.1.0.11', '4212a1b2-0000-0000-0000-000000000001', t),
      rec('10.1.0.77', '4212ffff-0000-0000-0000-000000000099', t),
      rec('10.0.1.10', 'i-0abcdef1234567890', t, 'aws'),
    ]);
    const res = await fromFlows(rt.store, rt.db.prisma, { since: new Date(t - 3600_000) });
    const w = byName(res.observations);
    expect(w['web-01']).toMatchObject({ externalId: 'vm:5012c3d4-0000-0000-0000-000000000001', provisionalName: true, addresses: [{ ip: '10.1.0.11', from: new Date(t) }] });
    expect(w['vm 4212ffff-0000-0000-0000-000000000099']).toMatchObject({ externalId: 'vm:4212ffff-0000-0000-0000-000000000099', kind: 'vm' });
    expect(w['i-0abcdef1234567890']).toMatchObject({ externalId: 'aws:i-0abcdef1234567890', kind: 'instance' });
    const r = await applyInventory(rt.db.prisma, rt.store, res.observations, { source: 'flows', additive: true });
    expect(r.workloads).toMatchObject({ created: 2, renamed: 0 });
    const web = await rt.db.prisma.workload.findUniqueOrThrow({ where: { name: 'web-01' }, include: { addresses: true } });
    expect(web.addresses.map((a) => [a.ip, a.validFrom.getTime(), a.source])).toEqual([['10.1.0.11', t, 'flows']]);
  });
});
