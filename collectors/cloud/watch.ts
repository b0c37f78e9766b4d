// `--watch DIR`: pick up flow-log files as they arrive (an S3 sync target, a mounted bucket, a
// directory a log shipper writes to). Polling rather than fs.watch: it works the same on local
// disks, NFS and FUSE mounts, and a file is only read once its size and mtime held still for
// one interval, so a file being written is never read half-way. Files already imported (same
// checksum) are skipped by the importer, so restarting a watch does not import twice.
import { expandPaths } from './files';
import type { CloudImporter } from './importer';

export interface WatchOptions {
  intervalMs?: number;
  signal: AbortSignal;
  /** after a round that imported files, once their records are stored */
  onSettled?: (round: { files: string[] }) => void;
  /** a file changed after it was imported (flow-log deliveries are immutable; it is not re-read) */
  onChanged?: (path: string) => void;
}

export async function watchDirectory(dir: string, cwd: string, importer: CloudImporter, opts: WatchOptions): Promise<void> {
  const interval = opts.intervalMs ?? 5000;
  const seen = new Map<string, { size: number; mtimeMs: number; done: boolean; warned?: boolean }>();
  while (!opts.signal.aborted) {
    const found = await expandPaths([dir], cwd);
    const imported: string[] = [];
    for (const f of found.files) {
      if (opts.signal.aborted) break;
      const prev = seen.get(f.path);
      if (!prev) {
        seen.set(f.path, { size: f.size, mtimeMs: f.mtimeMs, done: false });
        continue;
      }
      if (prev.done) {
        if ((prev.size !== f.size || prev.mtimeMs !== f.mtimeMs) && !prev.warned) {
          prev.warned = true;
          opts.onChanged?.(f.path);
        }
        continue;
      }
      if (prev.size === f.size && prev.mtimeMs === f.mtimeMs) {
        await importer.importFile(f);
        prev.done = true;
        imported.push(f.path);
      } else {
        prev.size = f.size;
        prev.mtimeMs = f.mtimeMs;
      }
    }
    if (imported.length) {
      // Store what arrived before waiting again, so the data shows up within an interval or two.
      await importer.settle();
      opts.onSettled?.({ files: imported });
    }
    await sleep(interval, opts.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
