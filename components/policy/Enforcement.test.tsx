// The enforcement panel and tags as the server renders them (the data already in the query
// cache): the control only for those allowed to change the state, labelled per environment;
// the states shown as text for everyone else.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EnforcementJson } from '../data/enforcement';
import { EnforcementPanel, EnforcementTags } from './Enforcement';

const row = (environment: string, state: EnforcementJson['state'], extra: Partial<EnforcementJson> = {}): EnforcementJson => ({
  application: 'shop', applicationId: 'a1', environment, state, changedBy: null, updatedAt: null, workloads: 2, ...extra,
});
const rows = [row('prod', 'enforced', { changedBy: 'alice@example.com', updatedAt: '2026-03-01T10:20:00.000Z' }), row('test', 'visibility')];

function panel(canChange: boolean) {
  const qc = new QueryClient();
  qc.setQueryData(['enforcement', 'a1'], { enforcement: rows });
  return renderToStaticMarkup(
    <QueryClientProvider client={qc}>
      <EnforcementPanel application={{ id: 'a1', name: 'shop' }} canChange={canChange} />
    </QueryClientProvider>,
  );
}

describe('enforcement on the pages', () => {
  it('offers a labelled control per environment to those who may change it', () => {
    const html = panel(true);
    expect(html).toContain('aria-label="Enforcement of shop in prod"');
    expect(html).toContain('aria-label="Enforcement of shop in test"');
    expect(html.match(/<select/g)).toHaveLength(2);
    expect(html).toMatch(/<option value="enforced" selected="">enforced<\/option>/);
    expect(html).toContain('alice@example.com, 2026-03-01 10:20 UTC');
    expect(html).not.toContain('Its owners, admins and architects change it');
  });

  it('shows the states without a control to everyone else, and says who can change them', () => {
    const html = panel(false);
    expect(html).not.toContain('<select');
    expect(html).toContain('>enforced</span>');
    expect(html).toContain('Its owners, admins and architects change it.');
  });

  it('tags an application with each environment\'s state; none without states', () => {
    const html = renderToStaticMarkup(<EnforcementTags application="shop" rows={rows} />);
    expect(html).toContain('role="group" aria-label="Enforcement of shop"');
    expect(html).toContain('prod: enforced');
    expect(html).toContain('test: visibility');
    expect(renderToStaticMarkup(<EnforcementTags application="shop" rows={[]} />)).toBe('');
    // one environment without an env label: the state alone
    expect(renderToStaticMarkup(<EnforcementTags application="dns" rows={[row('', 'test', { application: 'dns' })]} />)).toMatch(/>test<\/span>/);
  });
});
