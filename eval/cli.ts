// Running `bulkhead` as a user does: a child process per command, on a home of its own. The
// evaluation drives Bulkhead only through its command line, so that what it measures is what a
// new user gets (import -> analyze --json -> propose -> applications confirm --inferred -> rules approve --all -> export).
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'bulkhead.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export class BulkheadCli {
  constructor(
    readonly home: string,
    private readonly env: Record<string, string> = {},
  ) {}

  /** Run one command; throws with its output when it fails (unless `allowFailure`). */
  async run(args: string[], opts: { allowFailure?: boolean; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, '--home', this.home, ...args], {
      cwd: opts.cwd ?? this.home,
      env: {
        ...process.env,
        BULKHEAD_LOG_LEVEL: 'warn',
        // the estates lie in the past: nothing may expire while they are measured
        BULKHEAD_FLOW_RETENTION_DAYS: '0',
        BULKHEAD_ROLLUP_RETENTION_DAYS: '0',
        NO_COLOR: '1',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timeout = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30 * 60_000);
    const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
    clearTimeout(timeout);
    const r = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Math.round(performance.now() - t0) };
    if (code !== 0 && !opts.allowFailure) throw new Error(`bulkhead ${args.join(' ')} exited ${code}\n${r.stderr.slice(-4000)}\n${r.stdout.slice(-2000)}`);
    return r;
  }
}
