// Reading back the .tar.gz an export downloads as (lib/export/archive.ts), for the tests that
// compare it with the directory export: each entry's name, type and text.
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';

export interface ArchiveEntry {
  name: string;
  type: string;
  content: string;
}

export async function unpackArchive(gz: Uint8Array): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  const x = extract();
  const done = new Promise<void>((resolve, reject) => {
    x.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        out.push({ name: header.name, type: header.type ?? 'file', content: Buffer.concat(chunks).toString('utf8') });
        next();
      });
      stream.on('error', reject);
    });
    x.on('finish', () => resolve());
    x.on('error', reject);
  });
  x.end(gunzipSync(gz));
  await done;
  return out;
}
