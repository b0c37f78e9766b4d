// The score's reading of a baseline: which rules name an application no workload carries (a name
// that drifted between proposal and confirmation), told apart from rules over workloads that
// retired before the baseline's time.
import { describe, expect, it } from 'vitest';
import { BaselinePolicy, type BaselineDocument } from './baseline';

const doc = (rules: BaselineDocument['rules']): BaselineDocument => ({
  workloads: [
    { name: 'web-1', addresses: ['10.0.0.1'], labels: { app: 'shop', role: 'web' } },
    { name: 'db-1', addresses: ['10.0.0.2'], labels: { app: 'app-db-1', role: 'db' } },
  ],
  rules,
});
let n = 0;
const rule = (fromApp: string, toApp: string): BaselineDocument['rules'][number] => ({
  id: `r${++n}`,
  action: 'allow',
  from: { labels: { app: fromApp } },
  to: { labels: { app: toApp, role: 'db' } },
  ports: [{ protocol: 'tcp', port: 5432 }],
});

describe('rules naming an application no workload carries', () => {
  it('counts a drifted name, not a name whose workloads all retired, nor a role nobody has', () => {
    const p = new BaselinePolicy(doc([rule('shop', 'app-db-1'), rule('shop', 'app-db-1-2'), rule('app-batch-7', 'app-db-1'), { ...rule('shop', 'app-db-1'), from: { labels: { role: 'batch' } } }]));
    const retired = (app: string) => app === 'app-batch-7';
    expect(p.namingNoApplication(retired)).toBe(1);
    expect(p.namingNoApplication(() => false)).toBe(2);
  });
});
