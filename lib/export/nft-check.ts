// Checking nftables rulesets with nft itself (`nft -c -f FILE`: parse and validate against the
// kernel's nftables, apply nothing). `nft -c` still talks netlink to build its cache, which needs
// CAP_NET_ADMIN; so it runs in a fresh network namespace (`unshare --net`, plus a user namespace
// when not root): it can never see or touch the host's own ruleset, and works unprivileged where
// user namespaces are allowed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkheadError } from '../errors';

export interface NftCheck {
  file: string;
  ok: boolean;
  /** nft's messages (file:line:column: Error ...) when not ok */
  error?: string;
}

/** nft cannot be run here (not installed, or not allowed to check). */
export class NftUnavailableError extends BulkheadError {
  override name = 'NftUnavailableError';
  constructor(message: string) {
    super('unavailable', message);
  }
}

function runner(): string[] {
  const which = spawnSync('nft', ['--version'], { encoding: 'utf8' });
  if (which.error) throw new NftUnavailableError('nft is not installed (Debian: apt-get install nftables); it checks exported rulesets');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const base = root ? ['unshare', '--net', '--'] : ['unshare', '--user', '--map-root-user', '--net', '--'];
  const probe = spawnSync(base[0]!, [...base.slice(1), 'nft', '--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new NftUnavailableError(
      `nft -c needs CAP_NET_ADMIN in a network namespace, and \`${base.join(' ')} nft\` failed here (${(probe.stderr || probe.error?.message || '').trim()}): run as root, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)`,
    );
  }
  return base;
}

// One namespace for all files: a shell loop runs nft -c on each and marks where each answer ends
// (two process starts per file cost more than the checks).
const LOOP = 'for f in "$@"; do out=$(nft -c -f "$f" 2>&1); printf "%s\\n%s\\n" "@@bulkhead-nft $? $f" "$out"; done';

/** Check rulesets (name + text) with `nft -c -f`; each gets its own result. */
export function checkNftables(files: ReadonlyArray<{ name: string; content: string }>): NftCheck[] {
  if (!files.length) return [];
  const base = runner();
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-nft-'));
  try {
    const paths = files.map((f, i) => {
      const path = join(dir, `${i}.nft`);
      writeFileSync(path, f.content);
      return path;
    });
    const r = spawnSync(base[0]!, [...base.slice(1), 'sh', '-c', LOOP, 'sh', ...paths], { encoding: 'utf8', timeout: 30_000 + files.length * 5_000, maxBuffer: 64 << 20 });
    if (r.error || (r.status !== 0 && !r.stdout)) throw new NftUnavailableError(`nft -c could not run: ${r.error?.message ?? r.stderr}`);
    const results = new Map<string, { status: number; out: string[] }>();
    let cur: { status: number; out: string[] } | null = null;
    for (const line of r.stdout.split('\n')) {
      const m = /^@@bulkhead-nft (\d+) (.+)$/.exec(line);
      if (m) results.set(m[2]!, (cur = { status: Number(m[1]), out: [] }));
      else cur?.out.push(line);
    }
    return files.map((f, i) => {
      const res = results.get(paths[i]!);
      if (!res) return { file: f.name, ok: false, error: 'nft -c gave no answer for this file' };
      if (res.status === 0) return { file: f.name, ok: true };
      return { file: f.name, ok: false, error: res.out.join('\n').replaceAll(paths[i]!, f.name).trim() };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
