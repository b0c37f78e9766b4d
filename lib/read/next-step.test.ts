// Each page's next step follows from the state, not from the page: no data leads to getting
// some, proposals to review, approved rules to simulation and enforcement, enforcement to export,
// and an export that would drop observed traffic back to the simulation.
import { describe, expect, it } from 'vitest';
import { applicationNext, exportNext, mapNext, overviewNext, simulationNext } from './next-step';

const hrefs = (s: { links: Array<{ href: string }> }) => s.links.map((l) => l.href);

describe('the overview', () => {
  const base = { flows: 1000, proposed: 0, approved: 0, enforced: 0, baselines: 0, canPropose: true, canExport: true };
  it('without flows leads to the collectors and imports, and names the demo', () => {
    const s = overviewNext({ ...base, flows: 0 });
    expect(hrefs(s)).toEqual(['/discovery/exporters', '/discovery/imports']);
    expect(s.say).toContain('npx bulkhead demo');
  });
  it('with flows leads to the map first, then to what waits', () => {
    expect(hrefs(overviewNext(base))).toEqual(['/map', '/rules']);
    expect(hrefs(overviewNext({ ...base, canPropose: false }))).toEqual(['/map']);
    const review = overviewNext({ ...base, proposed: 3, approved: 1 });
    expect(hrefs(review)).toEqual(['/map', '/rules']);
    expect(review.say).toMatch(/^3 proposed rules wait/);
    expect(hrefs(overviewNext({ ...base, approved: 12 }))).toEqual(['/map', '/applications']);
    expect(hrefs(overviewNext({ ...base, approved: 12, enforced: 1 }))).toEqual(['/map', '/baselines?format=nftables', '/simulation?mode=monitor']);
    expect(hrefs(overviewNext({ ...base, approved: 12, enforced: 1, canExport: false }))).toEqual(['/map', '/simulation?mode=monitor']);
  });
});

describe('the map', () => {
  it("leads to the selected application's page, a workload's page, or the list", () => {
    expect(mapNext('app:orders@prod').links[0]).toEqual({ href: '/applications/orders%40prod', label: 'Open orders@prod' });
    expect(hrefs(mapNext('w:abc'))).toEqual(['/workloads/abc']);
    expect(hrefs(mapNext(null))).toEqual(['/applications']);
    expect(hrefs(mapNext('ep:internet'))).toEqual(['/applications']);
  });
});

describe('an application', () => {
  const app = { id: 'orders@prod', name: 'orders', hasRecord: true, rules: { proposed: 0, approved: 0 }, enforcement: [{ environment: 'prod', state: 'visibility' as const }] };
  it('inferred: confirm the grouping first', () => {
    expect(hrefs(applicationNext({ ...app, hasRecord: false }))[0]).toBe('#grouping');
  });
  it('with proposals: their review, then simulation and the enforcement card', () => {
    const s = applicationNext({ ...app, rules: { proposed: 4, approved: 2 } });
    expect(hrefs(s)).toEqual(['/rules?unit=orders%40prod', '/simulation?policy=approved&enforcement=all&app=orders%40prod', '#enforcement']);
    expect(s.say).toMatch(/^4 proposed rules of orders/);
  });
  it('without rules: to the review, where rules are proposed', () => {
    expect(hrefs(applicationNext(app))).toEqual(['/rules?unit=orders%40prod']);
  });
  it('reviewed and not enforced everywhere: simulate, then the enforcement card', () => {
    const s = applicationNext({ ...app, rules: { proposed: 0, approved: 12 }, enforcement: [{ environment: 'prod', state: 'enforced' }, { environment: 'dev', state: 'test' }] });
    expect(hrefs(s)).toEqual(['/simulation?policy=approved&enforcement=all&app=orders%40prod', '#enforcement', '/rules?unit=orders%40prod']);
    expect(s.say).toContain('(dev not yet)');
  });
  it('enforced: export', () => {
    expect(hrefs(applicationNext({ ...app, rules: { proposed: 0, approved: 12 }, enforcement: [{ environment: 'prod', state: 'enforced' }] }))[0]).toBe('/baselines?format=nftables');
  });
});

describe('the simulation', () => {
  const apps = [
    { application: 'a@prod', blockedAnsweredFlows: 0 },
    { application: 'b@prod', blockedAnsweredFlows: 5 },
    { application: 'c@prod', blockedAnsweredFlows: 50 },
  ];
  it('with every application enforced: the blocking applications to decide, largest first', () => {
    expect(hrefs(simulationNext({ mode: 'all', enforced: [], applications: apps }))).toEqual(['/applications/c%40prod#enforcement', '/applications/b%40prod#enforcement', '/simulation']);
    expect(hrefs(simulationNext({ mode: 'all', enforced: [], applications: [apps[0]!] }))).toEqual(['/applications', '/baselines?format=nftables']);
  });
  it("opened from an application's page: back to that application's decisions and enforcement", () => {
    const s = simulationNext({ mode: 'all', enforced: [], applications: apps, focus: 'b@prod' });
    expect(hrefs(s)).toEqual(['/applications/b%40prod#enforcement', '/baselines?format=nftables']);
    expect(s.say).toBe('b@prod is not enforced yet; 5 answered flows to or from it would be blocked here: decide on each blocked dependency, then enforce it.');
    expect(simulationNext({ mode: 'as-set', enforced: ['a@prod'], applications: apps, focus: 'a@prod' }).say).toMatch(/^a@prod is enforced; none of its answered traffic/);
  });
  it('as exported: nothing enforced, something blocked, or the export', () => {
    expect(hrefs(simulationNext({ mode: 'as-set', enforced: [], applications: [] }))[0]).toBe('/simulation?enforcement=all');
    expect(hrefs(simulationNext({ mode: 'as-set', enforced: ['c@prod'], applications: apps }))).toContain('/applications/c%40prod#enforcement');
    const ok = simulationNext({ mode: 'as-set', enforced: ['a@prod'], applications: [apps[0]!] });
    expect(hrefs(ok)[0]).toBe('/baselines?format=nftables');
    expect(ok.say).toContain('a@prod enforced');
  });
});

describe('the export', () => {
  it('that would drop observed traffic leads to the simulation of the same policy, with the figures', () => {
    const s = exportNext({ source: 'approved', wouldBlock: { flows: 1234, dependencies: 3 } });
    expect(hrefs(s)).toEqual(['/simulation?policy=approved']);
    expect(s.say).toContain('1,234 observed flows');
    expect(s.say).toContain('3 dependencies');
    expect(hrefs(exportNext({ source: 'baseline:e2e@1', wouldBlock: { flows: 1, dependencies: 1 } }))).toEqual(['/simulation?policy=baseline%3Ae2e%401']);
    expect(hrefs(exportNext({ source: 'all', wouldBlock: { flows: 1, dependencies: 1 } }))).toEqual(['/simulation?policy=proposed']);
  });
  it('that drops nothing observed leads to monitoring', () => {
    expect(hrefs(exportNext({ source: 'approved', wouldBlock: null }))[0]).toBe('/simulation?mode=monitor');
  });
});
