import { describe, expect, it } from 'vitest';
import { count, endpointKindNote, endpointText, plural } from './words';

describe('count', () => {
  it('agrees the noun with the number', () => {
    expect(count(1, 'application')).toBe('1 application');
    expect(count(0, 'application')).toBe('0 applications');
    expect(count(1204, 'dependency')).toBe('1,204 dependencies');
    expect(count(1, 'dependency')).toBe('1 dependency');
    expect(count(2, 'address')).toBe('2 addresses');
    expect(count(3, 'day')).toBe('3 days');
    expect(count(2, 'shared service, management or scanner group', 'shared service, management and scanner groups')).toBe('2 shared service, management and scanner groups');
  });

  it('makes the plurals of the product vocabulary', () => {
    expect(['workload', 'flow', 'rule', 'gap', 'source', 'scanner', 'network', 'policy', 'match'].map(plural)).toEqual(['workloads', 'flows', 'rules', 'gaps', 'sources', 'scanners', 'networks', 'policies', 'matches']);
  });
});

describe('endpoints in text', () => {
  it('says what an endpoint is unless its name says it', () => {
    expect(endpointText({ name: 'internet', kind: 'internet' })).toBe('internet');
    expect(endpointText({ name: 'orders-api-01', kind: 'workload' })).toBe('orders-api-01');
    expect(endpointText({ name: 'corp-users', kind: 'network' })).toBe('corp-users (network)');
    expect(endpointKindNote({ name: '192.0.2.7', kind: 'address' })).toBe('address');
    expect(endpointKindNote({ name: 'internet', kind: 'internet' })).toBe('');
  });
});
