// Checking nftables rulesets with nft itself (`nft -c -f FILE`: parse and validate against the
// kernel's nftables, apply nothing). `nft -c` still talks netlink to build its cache, which needs
// CAP_NET_ADMIN; so it runs in a fresh network namespace (`unshare --net`, plus a user namespace
// when not root): it can never see or touch the host's own ruleset, and works unprivileged where
// user namespaces are allowed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NftCheck {
  file: string;
  ok: boolean;
  /** nft's messages (file:line:column: Error ...) when not ok */
  error?: string;
}

export class NftUnavailableError extends Error {
  override name = 'UserError';
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

/** Check rulesets (name + text) with `nft -c -f`; each gets its own result. */
export function checkNftables(files: ReadonlyArray<{ name: string; content: string }>): NftCheck[] {
  const base = runner();
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-nft-'));
  try {
    return files.map((f) => {
      const path = join(dir, f.name);
      writeFileSync(path, f.content);
      const r = spawnSync(base[0]!, [...base.slice(1), 'nft', '-c', '-f', path], { encoding: 'utf8', timeout: 30_000 });
      if (r.status === 0) return { file: f.name, ok: true };
      return { file: f.name, ok: false, error: (r.stderr || r.stdout || r.error?.message || `exit ${r.status}`).replaceAll(path, f.name).trim() };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
