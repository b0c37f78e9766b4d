// `npm start` and `bulkhead serve` stopped by a process manager: SIGTERM to the process that was
// started (npm, or node itself) must end the server, not orphan it. npm runs a script through
// `sh -c` and forwards SIGTERM to that shell only, so the script has to exec node.
//
// --dev serves the app without the production build (which takes minutes on a fresh checkout)
// and compiles nothing until a page is requested: the signal path is the same as without --dev.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

async function freeTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/** Whether any process is left in the process group. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(done: () => boolean, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (!done() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 100));
  return done();
}

async function startAndTerminate(command: string, args: string[], reason = 'SIGTERM') {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-serve-'));
  const [port, netflow] = await Promise.all([freeTcpPort(), freeUdpPort()]);
  // detached: the server and whatever it starts get a process group of their own, so that what
  // is left after SIGTERM can be found (and, if the test fails, killed) by group.
  const child = spawn(command, [...args, '--dev', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BULKHEAD_HOME: home,
      BULKHEAD_LOG_LEVEL: 'silent',
      BULKHEAD_NETFLOW_PORT: String(netflow),
      BULKHEAD_IPFIX_PORT: '0',
      BULKHEAD_SFLOW_PORT: '0',
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pgid = child.pid!;
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  try {
    expect(await until(() => /is ready/.test(err) || child.exitCode !== null, 120_000), err).toBe(true);
    expect(err).toContain(`http://127.0.0.1:${port}`);
    expect(err).toMatch(new RegExp(`listening +netflow +udp \\S+:${netflow} `));
    child.kill('SIGTERM');
    expect(await until(() => !groupAlive(pgid), 30_000), `processes left in group ${pgid}:\n${err}`).toBe(true);
    expect(err).toContain(`${reason}: stopping`);
    expect(err).toContain('stopped.');
  } finally {
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  }
}

describe('stopping the server with SIGTERM', () => {
  it('bulkhead serve exits and leaves no process behind', () => startAndTerminate(process.execPath, [join(root, 'bin/bulkhead.mjs'), 'serve']), 180_000);

  it('npm start passes SIGTERM on to the server, which exits', () => startAndTerminate('npm', ['start', '--silent', '--']), 180_000);

  // npx runs the command in `sh -c` and passes SIGTERM to the shell only: the server notices
  // that npm's shell is gone and stops.
  it('npx bulkhead serve stops when npx is stopped', () => startAndTerminate('npm', ['exec', '--offline', '--', 'bulkhead', 'serve'], 'npm exited'), 180_000);
});
