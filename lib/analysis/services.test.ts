// Core services by behaviour: a forward proxy is known by the internet it reaches for others,
// whatever port it listens on.
import { describe, expect, it } from 'vitest';
import { findCandidates, hubThreshold } from './services';
import type { AnalysisEdge } from './types';

function edge(from: string, to: string, port: number): AnalysisEdge {
  const t = new Date(0);
  return {
    from, to, protocol: 6, port, flows: 100, bytes: 1, packets: 1, bytesToServer: 1, bytesToClient: 1, firstSeen: t, lastSeen: t, activeHours: 100, activeDays: 14,
    periodicity: 'continuous', flags: { coreService: false, management: false, external: false, crossApplication: false, crossEnvironment: false }, service: null, failedFlows: 0,
    fromScanner: false, fromNetwork: null,
  };
}

const workloads = new Set(['proxy', 'api', 'w1', 'w2', 'w3', 'w4']);
const isWorkload = (id: string) => workloads.has(id);
const internet = (n: number) => Array.from({ length: n }, (_, i) => `203.0.113.${i + 1}`);

describe('core services', () => {
  it('takes a machine that reaches many internet addresses for a few clients on 8080 for a proxy', () => {
    expect(hubThreshold(80)).toBeGreaterThan(3);
    const edges = [...['w1', 'w2', 'w3'].map((w) => edge(w, 'proxy', 8080)), ...internet(6).map((a) => edge('proxy', a, 443))];
    const hub = findCandidates(edges, isWorkload, 80).hubs.get('proxy');
    expect(hub?.kind).toBe('proxy');
    expect([...hub!.ports]).toEqual(['6/8080']);
  });

  it('does not take an API that calls a few internet services for one', () => {
    const edges = [...['w1', 'w2', 'w3'].map((w) => edge(w, 'api', 8080)), ...internet(2).map((a) => edge('api', a, 443))];
    expect(findCandidates(edges, isWorkload, 80).hubs.has('api')).toBe(false);
  });
});
