// `bulkhead collect` as people run it: a child process listening on loopback, softflowd
// exporting to it, a status line, then Ctrl-C (SIGINT) storing what is buffered and printing
// the per-exporter summary.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { have, softflowd } from '../../collectors/testing/exporters';
import { standardTraffic } from '../../collectors/testing/traffic';

const bin = resolve(import.meta.dirname, '../../bin/bulkhead.mjs');

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

describe.runIf(have('softflowd'))('bulkhead collect', () => {
  it('collects an exporter, reports it, and stores everything on Ctrl-C', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulkhead-collect-'));
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'collect', '--listen', '127.0.0.1', '--netflow-port', String(port), '--ipfix-port', '0', '--sflow-port', '0', '--status', '1', '--json'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BULKHEAD_HOME: home, BULKHEAD_LOG_LEVEL: 'silent' } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const waitFor = async (re: RegExp, ms: number) => {
      const t0 = Date.now();
      while (!re.test(err) && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 50));
      expect(err).toMatch(re);
    };
    try {
      await waitFor(/Collecting into/, 60_000);
      expect(err).toContain(`listening    netflow  udp 127.0.0.1:${port}`);
      const dir = mkdtempSync(join(tmpdir(), 'bulkhead-collect-pcap-'));
      const traffic = standardTraffic(Date.now() - 60_000);
      traffic.write(`${dir}/t.pcap`);
      await softflowd(`${dir}/t.pcap`, port, 9);
      await waitFor(new RegExp(`records ${traffic.flows.size} \\|`), 10_000);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      const final = JSON.parse(out) as { exporters: Array<{ exporter: string; version: string; records: number; decodeErrors: number }>; sink: { inserted: number } };
      expect(final.exporters).toMatchObject([{ exporter: '127.0.0.1', version: 'netflow9', records: traffic.flows.size, decodeErrors: 0 }]);
      expect(final.sink.inserted).toBe(traffic.flows.size);
      expect(err).toContain('SIGINT: stopping (storing buffered flows)...');
      expect(err).toContain(`stored       ${traffic.flows.size} records (0 refused by validation, 0 dropped while the store was behind)`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
