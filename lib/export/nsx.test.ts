// The NSX export's steps (export.test.ts checks the whole body).
import { describe, expect, it } from 'vitest';
import type { BaselineDoc, BaselineRule } from './baseline';
import { allWorkloadsGroup, finalRules, groupOf, nsxRules, serviceOf, stateGroup, type NsxObjects } from './nsx';

const doc: BaselineDoc = {
  apiVersion: 'bulkhead/v1',
  kind: 'Baseline',
  metadata: { name: 'shop', generatedAt: '2026-03-29T00:00:00.000Z', window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-29T00:00:00.000Z' }, version: 1, policy: 'approved' },
  workloads: [{ name: 'web-1', addresses: ['10.10.0.11'], labels: { app: 'shop', role: 'web' } }, { name: 'db-1', addresses: ['10.10.0.31', '10.10.0.11'], labels: { app: 'shop', role: 'db' } }],
  rules: [],
};
const rule = (id: string, extra: Partial<BaselineRule> = {}): BaselineRule => ({ id, action: 'allow', from: { labels: { role: 'web' } }, to: { labels: { role: 'db' } }, ports: [{ protocol: 'tcp', port: 5432 }], intent: id, status: 'approved', ...extra });
const objects = (d: BaselineDoc = doc): NsxObjects => ({ doc: d, domain: 'default', groups: new Map(), services: new Map(), warnings: [], applied: { enforced: null, test: null } });

describe('NSX steps', () => {
  it('groups: once per selector, tag conditions ANDed, every workload for empty labels, none for any', () => {
    const o = objects();
    const id = groupOf(o, { labels: { role: 'web', app: 'shop' } }, rule('r'));
    expect(groupOf(o, { labels: { app: 'shop', role: 'web' } }, rule('r'))).toBe(id);
    expect((o.groups.get(id!)!.expression as unknown[]).map((e) => (e as { value?: string; conjunction_operator?: string }).value ?? (e as { conjunction_operator: string }).conjunction_operator)).toEqual(['app|shop', 'AND', 'role|web']);
    expect(groupOf(o, { labels: {} }, rule('r'))).toBe(allWorkloadsGroup(o));
    expect(o.groups.get('bulkhead-all-workloads')!.expression).toEqual([{ resource_type: 'IPAddressExpression', ip_addresses: ['10.10.0.11', '10.10.0.31'] }]);
    expect(groupOf(o, { any: true }, rule('r'))).toBeNull();
  });

  it('services: shared by rules with the same entries, ranges, at most 15 ports an entry, ANY', () => {
    const o = objects();
    const a = serviceOf(o, [{ protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 8000, endPort: 8010 }], rule('a'));
    expect(serviceOf(o, [{ protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 8000, endPort: 8010 }], rule('b'))).toEqual(a);
    expect(o.services.size).toBe(1);
    const entries = [...o.services.values()][0]!.service_entries as Array<{ destination_ports: string[] }>;
    expect(entries[0]!.destination_ports).toEqual(['80', '8000-8010']);
    serviceOf(o, Array.from({ length: 16 }, (_, i) => ({ protocol: 'udp' as const, port: 1000 + i })), rule('c'));
    expect(([...o.services.values()][1]!.service_entries as unknown[]).length).toBe(2);
    expect(serviceOf(o, [{ protocol: 'any' }], rule('d'))).toEqual(['ANY']);
  });

  it('rules 10 apart, an exception dropped where enforced and logged where in test just before its allow; the final drop and log where each applies', () => {
    const staged: BaselineDoc = {
      ...doc,
      workloads: [...doc.workloads, { name: 'mon-1', addresses: ['10.0.0.4'], labels: { app: 'monitoring' } }, { name: 'dns-1', addresses: ['10.0.0.3'], labels: { app: 'dns' } }],
      enforcement: [{ application: 'shop', environment: '', state: 'enforced' }, { application: 'monitoring', environment: '', state: 'test' }],
    };
    const o = objects(staged);
    o.applied = { enforced: stateGroup(o, 'enforced'), test: stateGroup(o, 'test') };
    const path = (id: string) => `/infra/domains/default/groups/${id}`;
    expect(o.applied).toEqual({ enforced: path('bulkhead-enforced-workloads'), test: path('bulkhead-test-workloads') });
    // dns (visibility) is in neither group
    expect(o.groups.get('bulkhead-enforced-workloads')!.expression).toEqual([{ resource_type: 'IPAddressExpression', ip_addresses: ['10.10.0.11', '10.10.0.31'] }]);
    expect(o.groups.get('bulkhead-test-workloads')!.expression).toEqual([{ resource_type: 'IPAddressExpression', ip_addresses: ['10.0.0.4'] }]);
    const out = nsxRules(o, [rule('r1'), rule('r2', { from: { cidr: '0.0.0.0/0', except: ['192.0.2.66/32'] } })]);
    const row = (r: unknown) => { const x = r as { id: string; action: string; sequence_number: number; scope: string[]; logged: boolean }; return [x.id, x.action, x.sequence_number, x.scope.map((s) => s.slice(s.lastIndexOf('/') + 1)), x.logged]; };
    expect(out.rules.map(row)).toEqual([
      ['bulkhead-r1', 'ALLOW', 10, ['bulkhead-enforced-workloads', 'bulkhead-test-workloads'], false],
      ['bulkhead-r2-except-source', 'DROP', 20, ['bulkhead-enforced-workloads'], true],
      ['bulkhead-r2-except-source-test', 'ALLOW', 21, ['bulkhead-test-workloads'], true],
      ['bulkhead-r2', 'ALLOW', 22, ['bulkhead-enforced-workloads', 'bulkhead-test-workloads'], false],
    ]);
    expect(out.nextSeq).toBe(32);
    expect(finalRules(o, out.nextSeq).map(row)).toEqual([
      ['bulkhead-default-drop', 'DROP', 32, ['bulkhead-enforced-workloads'], true],
      ['bulkhead-test-log', 'ALLOW', 33, ['bulkhead-test-workloads'], true],
    ]);
    // nothing in test: no logged allow; nothing enforced: no drop
    expect(finalRules({ ...o, applied: { enforced: o.applied.enforced, test: null } }, 40).map((r) => r.id)).toEqual(['bulkhead-default-drop']);
    expect(finalRules({ ...o, applied: { enforced: null, test: o.applied.test } }, 40).map((r) => r.id)).toEqual(['bulkhead-test-log']);
  });
});
