// `bulkhead import` and `bulkhead networks` as people run them: the real command in child
// processes against one BULKHEAD_HOME, on our own fixtures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/bulkhead.mjs');
const fixtures = join(root, 'collectors/cloud/fixtures');
const home = mkdtempSync(join(tmpdir(), 'bulkhead-import-cli-'));

function bulkhead(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    input,
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BULKHEAD_HOME: home, BULKHEAD_LOG_LEVEL: 'silent', BULKHEAD_FLOW_RETENTION_DAYS: '0', BULKHEAD_ROLLUP_RETENTION_DAYS: '0' } as unknown as NodeJS.ProcessEnv,
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bulkhead import and networks', () => {
  it('imports flow logs with a summary, and a second time stores nothing', () => {
    const r = bulkhead(['import', 'aws', 'collectors/cloud/fixtures/aws-vpc-two-enis.log', 'collectors/cloud/fixtures/aws-cloudwatch-eni-a.json', 'collectors/cloud/fixtures/aws-cloudwatch-eni-b.json']);
    expect(r.err).toMatch(/^import aws: \d+\/\d+ KiB/); // progress, as lines when not on a terminal
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^aws: 3 files, \d+ lines in/);
    expect(r.out).toMatch(/flow records read {3}14\n/);
    expect(r.out).toMatch(/stored {14}5 records: 5 duplicates folded .*; 4 replies joined to their requests/);
    expect(r.out).toContain('collectors/cloud/fixtures/aws-vpc-two-enis.log:13  packets: "x" is not a count');
    expect(r.out).toContain('1 NODATA (no traffic on the interface)');
    expect(r.out).toMatch(/client\/server by {4}tcp-flags 80%, port 20%/);
    expect(r.out).toMatch(/^Next: `bulkhead import inventory FILE`/m);

    const again = bulkhead(['import', 'aws', fixtures, '--json']);
    expect(again.code).toBe(0);
    const s = JSON.parse(again.out) as { stored: number; files: { alreadyImported: unknown[]; skipped: Array<{ path: string }> } };
    expect(s.stored).toBe(0);
    expect(s.files.alreadyImported).toHaveLength(3);
    // the GCP and Azure fixtures in that directory are not AWS flow logs
    expect(s.files.skipped.map((f) => f.path.split('/').pop()).sort()).toEqual(['azure-nsg-nic-a.json', 'azure-vnet-nic-b.json', 'gcp-both-reporters.ndjson']);

    expect(bulkhead(['import', 'gcp']).err).toContain('name files or directories to import, or --watch DIR');
    expect(bulkhead(['import', 'aws', 'x.log', '--fields', 'version srcadr']).err).toContain('--fields: unknown flow-log field "srcadr"');
    expect(bulkhead(['import', 'ftp', 'x']).err).toContain('"ftp" is not something to import');
  });

  it('imports inventory from standard input, names ranges, and looks addresses up over time', () => {
    const pods = (ip: string, name: string, start: string) => ({
      kind: 'Pod',
      metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: 'shop' } },
      spec: {},
      status: { phase: 'Running', podIP: ip, startTime: start },
    });
    const first = bulkhead(['import', 'inventory', '--stdin', '--at', '2026-01-01T01:00:00Z'], JSON.stringify({ kind: 'List', items: [pods('10.0.1.10', 'web-a', '2026-01-01T00:00:00Z')] }));
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/\(standard input\) \(kubernetes\): 1 workloads listed/);
    expect(first.out).toMatch(/addresses {5}1 bound/);
    const moved = bulkhead(['import', 'inventory', '--stdin'], JSON.stringify({ kind: 'List', items: [pods('10.0.1.10', 'web-b', '2026-01-02T00:00:00Z')] }));
    expect(moved.out).toMatch(/1 moved from another workload/);
    expect(moved.out).toContain('10.0.1.10 -> shop/web-b: moved from shop/web-a at 2026-01-02T00:00:00.000Z');

    expect(bulkhead(['networks', 'lookup', '10.0.1.10', '--at', '2026-01-01T12:00:00Z']).out).toMatch(/^10\.0\.1\.10 at 2026-01-01T12:00:00\.000Z: workload shop\/web-a /);
    expect(bulkhead(['networks', 'lookup', '10.0.1.10', '--at', '2026-01-02T12:00:00Z']).out).toMatch(/workload shop\/web-b/);
    expect(bulkhead(['networks', 'add', 'partner', '203.0.113.0/24', '--kind', 'partner']).out).toMatch(/^Added partner \(partner\): 203\.0\.113\.0\/24/);
    expect(bulkhead(['networks', 'lookup', '203.0.113.50']).out).toMatch(/no workload; network partner \(partner, 203\.0\.113\.0\/24\)/);
    expect(bulkhead(['networks', 'add', 'bad', '10.0.0.0/40']).err).toMatch(/invalid prefix length/);
    expect(bulkhead(['networks']).out).toMatch(/^name {5}kind {8}cidrs\npartner  partner {5}203\.0\.113\.0\/24/);
  });
});
