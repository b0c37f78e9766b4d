// Networks of unknown clients: addresses that sit together and behave alike become their covering
// prefix, grown while nothing else lives in it, never over a workload, another group or a named
// network; a lone address stays an address.
import { describe, expect, it } from 'vitest';
import { suggestClientNetworks, type ClientEdge } from './client-networks';

const edge = (from: string, to: string, port: number, coreService = false): ClientEdge => ({ from, to, protocol: 6, port, flows: 10, coreService });

function suggest(edges: ClientEdge[], opts: { workloads?: string[]; named?: string[] } = {}) {
  return suggestClientNetworks({ edges, candidate: (id) => !id.includes('/'), serverGroup: (id) => id, workloadAddresses: opts.workloads ?? [], namedCidrs: opts.named ?? [] });
}

describe('networks of unknown clients', () => {
  // admin workstations in the first quarter of a /24, office users in the rest
  const admins = [3, 9, 17, 22, 40, 51].map((i) => `10.250.8.${i}`);
  const users = [70, 88, 101, 140, 151, 190].map((i) => `10.250.8.${i}`);
  const edges = [
    ...admins.flatMap((a) => [edge(a, 'jump', 3389), edge(a, 'dc', 53, true)]),
    ...users.map((a, i) => edge(a, i % 2 ? 'portal' : 'erp', 443)),
    // users of one subnet use the same applications, not every user every one
    edge(users[0]!, 'portal', 443),
  ];

  it('groups addresses that reach the same things, ignoring what everyone uses', () => {
    const r = suggest(edges);
    // the users cannot be one prefix around the admins: each half is covered, grown into what is empty
    expect(r.networks.map((n) => n.cidr)).toEqual(['10.250.8.0/26', '10.250.8.128/25', '10.250.8.64/26']);
    expect(r.networks[0]).toMatchObject({ name: 'clients-10.250.8.0-26', addresses: [...admins].sort(), reaches: ['dc tcp/53', 'jump tcp/3389'] });
    for (const a of admins) expect(r.byAddress.get(a)).toBe('10.250.8.0/26');
  });

  it('grows a group over empty address space only', () => {
    const alone = suggest(admins.map((a) => edge(a, 'jump', 3389)));
    expect(alone.networks.map((n) => n.cidr)).toEqual(['10.250.8.0/24']);
    const withServer = suggest(admins.map((a) => edge(a, 'jump', 3389)), { workloads: ['10.250.8.130'] });
    expect(withServer.networks.map((n) => n.cidr)).toEqual(['10.250.8.0/25']);
    const withNamed = suggest(admins.map((a) => edge(a, 'jump', 3389)), { named: ['10.250.8.64/27'] });
    expect(withNamed.networks.map((n) => n.cidr)).toEqual(['10.250.8.0/26']);
  });

  it('leaves a lone address alone, and never covers a workload', () => {
    expect(suggest([edge('10.9.9.9', 'x', 443)]).networks).toEqual([]);
    const r = suggest([edge('10.1.1.1', 'x', 443), edge('10.1.1.3', 'x', 443)], { workloads: ['10.1.1.2'] });
    expect(r.networks).toEqual([]);
  });
});
