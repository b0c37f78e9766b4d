// The importer against the real stores: gzip and directories, re-imports that store nothing,
// an interrupted import that resumes where it stopped, and --watch picking up new files.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support';
import { openRuntime, type Runtime } from '../../lib/runtime';
import { CloudImporter } from './importer';
import { watchDirectory } from './watch';

const fixture = (f: string) => join(import.meta.dirname, 'fixtures', f);

/** n default-format lines, one internet flow each (nothing folds), from `t0` (Unix seconds) */
function lines(n: number, t0: number, eni = 'eni-0abc'): string {
  const out = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  for (let i = 0; i < n; i++) out.push(`2 111122223333 ${eni} 10.1.${(i >> 8) & 255}.${i & 255} 52.94.1.${i % 200} ${33000 + (i % 20000)} 443 6 3 300 ${t0 + i} ${t0 + i + 10} ACCEPT OK`);
  return `${out.join('\n')}\n`;
}

describe('CloudImporter', () => {
  let rt: Runtime;
  let dir: string;
  const count = async () => (await rt.store.rows<{ n: number }>(`SELECT count() AS n FROM ${rt.store.t('flows')}`))[0]!.n;
  beforeAll(async () => {
    rt = await openRuntime(testConfig());
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-import-'));
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('reads directories and gzip, records each file, and stores nothing when the same files come again', async () => {
    const d = join(dir, 'AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/01/01');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, '111122223333_vpcflowlogs_eu-west-1_fl-1_20260101T0000Z_a.log.gz'), gzipSync(readFileSync(fixture('aws-vpc-two-enis.log'))));
    copyFileSync(fixture('aws-cloudwatch-eni-a.json'), join(d, 'cw-a.json'));
    copyFileSync(fixture('aws-cloudwatch-eni-b.json'), join(d, 'cw-b.json'));
    writeFileSync(join(d, 'README.md'), 'not a flow log');
    const progress: number[] = [];
    const imp = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws', onProgress: (p) => progress.push(p.bytes) });
    await imp.importPaths([join(dir, 'AWSLogs')], '/');
    const s = await imp.finish();
    expect(s.files.imported).toBe(3);
    expect(s.files.ignored).toEqual({ '.md': 1 });
    expect(s.stored).toBe(4 + 1);
    expect(s.rejected).toBe(3);
    expect(s.rejects[0]).toMatchObject({ file: join(d, '111122223333_vpcflowlogs_eu-west-1_fl-1_20260101T0000Z_a.log.gz'), line: 13 });
    expect(await count()).toBe(5);
    expect(progress.at(-1)).toBeGreaterThan(0);
    const runs = await rt.db.prisma.importRun.findMany({ where: { kind: 'aws' }, orderBy: { path: 'asc' } });
    expect(runs.map((r) => [r.status, r.records, r.rejected])).toEqual([
      ['done', 10, 2],
      ['done', 2, 1],
      ['done', 2, 0],
    ]);

    const again = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws' });
    // the same content under another name is the same file
    copyFileSync(fixture('aws-cloudwatch-eni-a.json'), join(dir, 'copy-of-a.json'));
    await again.importPaths([join(dir, 'AWSLogs'), join(dir, 'copy-of-a.json')], '/');
    const s2 = await again.finish();
    expect(s2.files.alreadyImported).toHaveLength(4);
    expect(s2.stored).toBe(0);
    expect(await count()).toBe(5);
  });

  it('reports a line too long to be a flow log by file and line, and keeps every line around it', async () => {
    const d = join(dir, 'long-line');
    mkdirSync(d, { recursive: true });
    const good = lines(4, 1767229200).split('\n');
    // a gzip holding one 32 MiB line between good ones (a corrupt or hostile file)
    const text = [good[0], good[1], 'x'.repeat(32 * 1024 * 1024), good[2], good[3], good[4]].join('\n');
    writeFileSync(join(d, 'long.log.gz'), gzipSync(text));
    const imp = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws' });
    await imp.importPaths([d], '/');
    const s = await imp.finish();
    expect(s.stored).toBe(4);
    expect(s.rejects).toEqual([expect.objectContaining({ file: join(d, 'long.log.gz'), line: 3, reason: expect.stringMatching(/a line of 33554432 characters/) })]);
  });

  it('keeps every GCP record after one cut short, and names its line', async () => {
    const d = join(dir, 'gcp-cut');
    mkdirSync(d, { recursive: true });
    const records = readFileSync(fixture('gcp-both-reporters.ndjson'), 'utf8').trim().split('\n');
    const whole = new CloudImporter(rt.db.prisma, rt.store, { kind: 'gcp' });
    writeFileSync(join(d, 'whole.json'), `${records.join('\n')}\n`);
    await whole.importPaths([join(d, 'whole.json')], '/');
    const before = await whole.finish();
    // the second record truncated in the middle of a string value
    const cut = [records[0], records[1]!.slice(0, 120), ...records.slice(1)];
    writeFileSync(join(d, 'cut.json'), `${cut.join('\n')}\n`);
    const imp = new CloudImporter(rt.db.prisma, rt.store, { kind: 'gcp' });
    await imp.importPaths([join(d, 'cut.json')], '/');
    const s = await imp.finish();
    expect(s.stored).toBe(before.stored);
    // the fixture's own bad record, one line further down, and the cut one
    expect(s.rejects.map((r) => [r.line, r.reason])).toEqual([[2, expect.stringMatching(/never ends/)], ...before.rejects.map((r) => [r.line + 1, r.reason])]);
  });

  it('stops on abort with what was read stored, and resumes there next time', async () => {
    const file = join(dir, 'big.log');
    writeFileSync(file, lines(60_000, 1767225600));
    const ac = new AbortController();
    const before = await count();
    let chunks = 0;
    const imp = new CloudImporter(rt.db.prisma, rt.store, {
      kind: 'aws',
      signal: ac.signal,
      onProgress: () => {
        if (++chunks === 2) ac.abort();
      },
    });
    await imp.importPaths([file], '/');
    const s = await imp.finish();
    expect(s.interrupted).toBe(true);
    expect(s.stored).toBeGreaterThan(0);
    expect(s.stored).toBeLessThan(60_000);
    const run = await rt.db.prisma.importRun.findFirstOrThrow({ where: { path: file } });
    expect(run.status).toBe('interrupted');
    expect((run.summary as { position: number }).position).toBe(s.stored + 1); // the header line and one record per line

    const rest = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws' });
    await rest.importPaths([file], '/');
    const s2 = await rest.finish();
    expect(s2.files.resumed).toEqual([{ path: file, from: s.stored + 1 }]);
    expect(s.stored + s2.stored).toBe(60_000);
    expect((await count()) - before).toBe(60_000);
    expect(s2.rejected).toBe(0);
  });

  it('--watch imports files as they arrive, once they stop growing', async () => {
    const w = join(dir, 'watched');
    mkdirSync(w);
    writeFileSync(join(w, 'first.log'), lines(10, 1767312000, 'eni-0w1'));
    const ac = new AbortController();
    const imp = new CloudImporter(rt.db.prisma, rt.store, { kind: 'aws', signal: ac.signal });
    const rounds: string[][] = [];
    const watching = watchDirectory(w, '/', imp, {
      intervalMs: 100,
      signal: ac.signal,
      onSettled: ({ files }) => {
        rounds.push(files.map((f) => f.slice(w.length + 1)));
        if (rounds.length === 1) writeFileSync(join(w, 'second.log'), lines(20, 1767315600, 'eni-0w2'));
        else ac.abort();
      },
    });
    const deadline = setTimeout(() => ac.abort(), 15_000);
    await watching;
    clearTimeout(deadline);
    const s = await imp.finish();
    expect(rounds).toEqual([['first.log'], ['second.log']]);
    expect(s.stored).toBe(30);
  });
});
