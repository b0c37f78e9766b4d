// The files of an export as one gzipped tar, for formats that write a directory (nftables: a
// ruleset per host): one download from the web app and the API, one `-o policy.tar.gz` from the
// CLI, with the same file names as the directory export. tar-stream writes the tar (the one
// dependency docs/exports.md names for it); node:zlib compresses it.
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { ExportFile } from './common';

export const ARCHIVE_TYPE = 'application/gzip';

/** Whether an output path asks for the archive rather than a directory. */
export const isArchivePath = (path: string) => /\.(tar\.gz|tgz)$/i.test(path);

/** The archive's name for a format's export ("nftables.tar.gz"). */
export const archiveName = (format: string) => `${format}.tar.gz`;

/** A .tar.gz of the files, each a regular file at its export name, dated `mtime`. */
export async function exportArchive(files: readonly ExportFile[], mtime = new Date()): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    tar.on('data', (c: Buffer) => chunks.push(c));
    tar.on('end', () => resolve());
    tar.on('error', reject);
  });
  for (const f of files) {
    const body = Buffer.from(f.content, 'utf8');
    await new Promise<void>((resolve, reject) => tar.entry({ name: f.name, size: body.length, mode: 0o644, mtime, type: 'file' }, body, (e) => (e ? reject(e) : resolve())));
  }
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}
