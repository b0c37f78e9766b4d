// The archive of a directory export holds the same files, under the same names, as the
// directory: unpacked here and compared with the export's own files (and one ruleset checked
// with nft -c, as the nftables tests do).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unpackArchive } from '../../test/archive';
import { archiveName, exportArchive, isArchivePath } from './archive';
import { exportPolicy, type BaselineDoc } from './index';
import { checkNftables } from './nft-check';

const doc: BaselineDoc = {
  apiVersion: 'bulkhead/v1',
  kind: 'Baseline',
  metadata: { name: 'shop', generatedAt: '2026-03-29T00:00:00.000Z', window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-29T00:00:00.000Z' }, version: 1, policy: 'approved' },
  workloads: [
    { name: 'web-1', addresses: ['10.10.0.11'], labels: { app: 'shop', env: 'prod', role: 'web' } },
    { name: 'db-1', addresses: ['10.10.0.31', '2001:db8::31'], labels: { app: 'shop', env: 'prod', role: 'db' } },
    { name: 'dns-1', addresses: ['10.0.0.3'], labels: { app: 'dns', role: 'core' } },
  ],
  rules: [
    { id: 'r-web-db', action: 'allow', from: { labels: { app: 'shop', role: 'web' } }, to: { labels: { app: 'shop', role: 'db' } }, ports: [{ protocol: 'tcp', port: 5432 }], intent: 'web uses db', owner: 'shop', status: 'approved' },
    { id: 'r-dns', action: 'allow', from: { labels: {} }, to: { labels: { app: 'dns' } }, ports: [{ protocol: 'udp', port: 53 }], intent: 'names', owner: 'dns', status: 'approved' },
  ],
  enforcement: [{ application: 'shop', environment: 'prod', state: 'enforced' }],
};

describe('the archive of a directory export', () => {
  const result = exportPolicy(doc, 'nftables', { now: new Date('2026-04-01T00:00:00Z') });

  it('unpacks to the files the directory export writes, name for name and byte for byte', async () => {
    // the directory as the CLI writes it, read back
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-archive-'));
    try {
      for (const f of result.files) writeFileSync(join(dir, f.name), f.content);
      const written = readdirSync(dir).sort().map((name) => ({ name, content: readFileSync(join(dir, name), 'utf8') }));
      const entries = await unpackArchive(await exportArchive(result.files));
      expect(entries.every((e) => e.type === 'file')).toBe(true);
      expect(entries.map(({ name, content }) => ({ name, content })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(written);
      expect(entries.map((e) => e.name).sort()).toEqual(['db-1.nft', 'dns-1.nft', 'web-1.nft']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds rulesets nft -c accepts', async () => {
    const entries = await unpackArchive(await exportArchive(result.files));
    const db = entries.find((e) => e.name === 'db-1.nft')!;
    expect(db.content).toContain('policy drop;');
    expect(checkNftables([db]).filter((c) => !c.ok)).toEqual([]);
  });

  it('is asked for by the output name', () => {
    expect(isArchivePath('policy.tar.gz')).toBe(true);
    expect(isArchivePath('out/Policy.TGZ')).toBe(true);
    expect(isArchivePath('nft')).toBe(false);
    expect(isArchivePath('policy.tar')).toBe(false);
    expect(archiveName('nftables')).toBe('nftables.tar.gz');
  });
});
