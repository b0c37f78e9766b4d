// Files as the clouds deliver them: plain or gzip-compressed (by content, not by name), single
// files or directory trees (S3 AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/..., Azure
// insights-logs-*/.../PT1H.json, GCP Cloud Storage sinks), read as text in chunks with lines
// counted, so that a bad line is named by file and line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** Extensions a directory walk picks up; others are listed as ignored (explicit files are always read). */
export const FLOW_LOG_EXTENSIONS = new Set(['.log', '.txt', '.json', '.jsonl', '.ndjson', '.gz', '.parquet', '']);

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface Expanded {
  files: FoundFile[];
  /** files a directory walk left out, by extension */
  ignored: Record<string, number>;
  /** paths that do not exist or cannot be read */
  missing: Array<{ path: string; reason: string }>;
}

async function walk(dir: string, out: Expanded): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    out.missing.push({ path: dir, reason: (e as Error).message });
    return;
  }
  // Sorted names: S3 keys and Azure/GCP paths carry the time, so files are read in time order.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) {
      const ext = extname(e.name).toLowerCase();
      if (!FLOW_LOG_EXTENSIONS.has(ext)) {
        out.ignored[ext] = (out.ignored[ext] ?? 0) + 1;
        continue;
      }
      const s = await stat(p);
      out.files.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
    }
  }
}

/** Files under the given paths (relative to cwd): files as given, directories recursively. */
export async function expandPaths(paths: readonly string[], cwd: string): Promise<Expanded> {
  const out: Expanded = { files: [], ignored: {}, missing: [] };
  for (const given of paths) {
    const p = resolve(cwd, given);
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      out.missing.push({ path: given, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
      continue;
    }
    if (s.isDirectory()) await walk(p, out);
    else out.files.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
  }
  const seen = new Set<string>();
  out.files = out.files.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
  return out;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function isParquet(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return bytesRead === 4 && b.toString('latin1') === 'PAR1';
  } finally {
    await fh.close();
  }
}

/**
 * The file's text in chunks (gunzipped when the content is gzip). `onBytes` reports compressed
 * bytes read, for progress over the files' sizes.
 */
export async function* readText(path: string, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const gzip = await isGzip(path);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // gzip: count the compressed bytes as the pipe reads them; plain: count in the loop below (a
  // 'data' listener on a stream also read by the loop would take the data from it)
  if (onBytes && gzip) raw.on('data', (c) => onBytes((c as Buffer).length));
  const source = gzip ? raw.pipe(createGunzip()) : raw;
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const chunk of source) {
      if (onBytes && !gzip) onBytes((chunk as Buffer).length);
      let text = decoder.write(chunk as Buffer);
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
      first = false;
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    raw.destroy();
  }
}

/** A text line longer than this (characters) is reported and skipped, not held: flow-log lines are under a kilobyte. */
export const MAX_LINE_CHARS = 1024 * 1024;

export interface LineOptions {
  /** lines already handled by an interrupted import: counted, not passed on */
  startLine?: number;
  maxLineChars?: number;
  /** a line longer than maxLineChars: its number and how long it was (it is not passed to onLine) */
  onTooLong?: (n: number, chars: number) => void;
}

/**
 * Lines of a text stream, numbered from 1, without their line endings. Calls `onLine` for
 * each; awaits `between` after each chunk (where the importer applies back-pressure). Linear in
 * the input whatever the line lengths: each chunk is searched once, and a line spread over
 * chunks is joined once, when it ends; a line longer than `maxLineChars` is reported and skipped
 * without being held.
 */
export async function forEachLine(chunks: AsyncIterable<string>, onLine: (line: string, n: number) => void, between?: () => Promise<void> | void, opts: LineOptions = {}): Promise<number> {
  const startLine = opts.startLine ?? 0;
  const max = opts.maxLineChars ?? MAX_LINE_CHARS;
  let parts: string[] = [];
  let partChars = 0;
  let tooLong = false;
  let n = 0;
  const emit = (last: string) => {
    n++;
    if (tooLong) {
      if (n > startLine) opts.onTooLong?.(n, partChars + last.length);
    } else if (n > startLine) {
      const text = parts.length ? parts.join('') + last : last;
      onLine(text.endsWith('\r') ? text.slice(0, -1) : text, n);
    }
    parts = [];
    partChars = 0;
    tooLong = false;
  };
  for await (const chunk of chunks) {
    let start = 0;
    let idx: number;
    while ((idx = chunk.indexOf('\n', start)) !== -1) {
      emit(chunk.slice(start, idx));
      start = idx + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.slice(start);
      partChars += rest.length;
      if (partChars > max) tooLong = true;
      if (!tooLong) parts.push(rest);
      else parts = [];
    }
    if (between) await between();
  }
  if (partChars || parts.length) emit('');
  return n;
}

/** The time in an S3 flow-log object key (account_vpcflowlogs_region_fl-id_20180620T1620Z_hash.log.gz). */
export function s3KeyTime(path: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(path);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isFinite(t) ? t : undefined;
}
