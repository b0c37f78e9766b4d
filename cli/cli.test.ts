// The real `bulkhead` command in child processes, as people run it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/bulkhead.mjs');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function bulkhead(args: string[], env: Record<string, string> = {}) {
  const home = env.BULKHEAD_HOME ?? mkdtempSync(join(tmpdir(), 'bulkhead-cli-'));
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BULKHEAD_HOME: home, BULKHEAD_LOG_LEVEL: 'silent', ...env } as unknown as NodeJS.ProcessEnv,
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, home };
}

describe('bulkhead CLI', () => {
  it('prints its version and its commands', () => {
    expect(bulkhead(['--version'])).toMatchObject({ code: 0, out: `${version}\n` });
    const help = bulkhead(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['serve', 'doctor']) expect(help.out).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    expect(bulkhead(['help', 'doctor']).out).toContain('--json');
  });

  it('says what went wrong for an unknown command or option', () => {
    const r = bulkhead(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.err).toContain("unknown command 'frobnicate'");
    expect(r.err).toContain('bulkhead --help');
  });

  it('doctor reports both embedded stores answering, with data under BULKHEAD_HOME', () => {
    const r = bulkhead(['doctor', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({
      ok: true,
      home: r.home,
      server: null,
      clickhouse: { ok: true, kind: 'embedded chDB', location: `${join(r.home, 'clickhouse')} (database bulkhead)` },
      database: { ok: true, kind: 'SQLite', location: join(r.home, 'bulkhead.db') },
    });
    expect(report.clickhouse.version).toMatch(/^\d+\.\d+/);
    expect(report.freeDiskBytes).toBeGreaterThan(0);
    const text = bulkhead(['doctor'], { BULKHEAD_HOME: r.home });
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/clickhouse\s+ok\s+embedded chDB/);
    expect(text.out).toMatch(/database\s+ok\s+SQLite/);
  });

  it("says lib's refusals as they are, with an exit code by kind: 4 for what does not exist", () => {
    const missing = bulkhead(['rules', 'show', 'nosuchrule1']);
    expect({ code: missing.code, err: missing.err.trim() }).toEqual({ code: 4, err: 'no rule nosuchrule1 (bulkhead rules list shows their ids)' });
    const bad = bulkhead(['rules', 'add', '--from', 'app=', '--to', 'app=x', '--ports', 'tcp/80', '--intent', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.err).not.toMatch(/^bulkhead:|BULKHEAD_DEBUG|at .*\.ts:\d+/m);
  });

  it('stops on invalid configuration, naming the variable', () => {
    const r = bulkhead(['doctor'], { BULKHEAD_PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('BULKHEAD_PORT="eighty"');
  });

  it('doctor names the process that holds the embedded store', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulkhead-cli-'));
    // Another process opens the data directory and keeps it.
    const holder = spawn(
      process.execPath,
      ['-e', `const { Session } = require(${JSON.stringify(join(root, 'node_modules/chdb'))}); const s = new Session(${JSON.stringify(join(home, 'clickhouse'))}); s.query('SELECT 1'); console.log('held'); setTimeout(() => {}, 60000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((ok) => holder.stdout!.once('data', () => ok()));
      const r = bulkhead(['doctor', '--json'], { BULKHEAD_HOME: home });
      expect(r.code).toBe(1);
      const report = JSON.parse(r.out);
      expect(report.clickhouse.ok).toBe(false);
      expect(report.clickhouse.error).toContain(`is in use by process ${holder.pid}`);
      expect(report.database.ok).toBe(true);
    } finally {
      holder.kill();
    }
  });
});
