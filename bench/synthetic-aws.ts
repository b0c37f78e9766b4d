// Deterministic AWS VPC flow-log text (default format, with the S3 header line) for the import
// benchmark. Two mixes:
//   vpc     what a VPC flow log looks like: connections between instances of the VPC are logged
//           at both ENIs in both directions (4 lines), connections to the internet at the
//           instance's ENI in both directions (2 lines); lines of one capture minute interleave.
//   unique  every line a different one-way flow: nothing to fold (the sink's worst case).
import { createWriteStream } from 'node:fs';
import { rng } from './synthetic-flows';

const PORTS = [5432, 6379, 443, 8080, 9092, 3306, 80, 22];

export interface GeneratedLog {
  lines: number;
  /** records the import should store (after folding) */
  expectedRecords: number;
  bytes: number;
}

export async function writeAwsFlowLog(path: string, n: number, opts: { mix?: 'vpc' | 'unique'; seed?: number; start?: number } = {}): Promise<GeneratedLog> {
  const mix = opts.mix ?? 'vpc';
  const rand = rng(opts.seed ?? 7);
  const t0 = Math.floor((opts.start ?? Date.UTC(2026, 0, 5)) / 1000);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  await write('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n');
  const hosts = 4000;
  const servers = 300;
  const ip = (h: number) => `10.${16 + (h >> 16)}.${(h >> 8) & 255}.${h & 255}`;
  const eni = (h: number) => `eni-0${(0x10000000 + h * 7919).toString(16)}`;
  const line = (e: string, s: string, d: string, sp: number, dp: number, pk: number, by: number, st: number, en: number) =>
    `2 123456789012 ${e} ${s} ${d} ${sp} ${dp} 6 ${pk} ${by} ${st} ${en} ACCEPT OK\n`;
  let lines = 0;
  let records = 0;
  let minute = 0;
  const perMinute = 20_000;
  while (lines < n) {
    const window: string[] = [];
    const st = t0 + minute * 60;
    while (window.length < perMinute && lines + window.length < n) {
      const c = 1000 + Math.floor(rand() * (hosts - 1000));
      const sport = 32768 + Math.floor(rand() * 28000);
      const pk = 1 + Math.floor(rand() * 50);
      const by = pk * (60 + Math.floor(rand() * 1400));
      const left = n - lines - window.length;
      if (mix === 'unique') {
        const s = Math.floor(rand() * servers);
        window.push(line(eni(c), ip(c), ip(s), sport, PORTS[s % PORTS.length]!, pk, by, st, st + 59));
        records++;
      } else if (rand() < 0.6 && left >= 4) {
        const s = Math.floor(rand() * servers);
        const port = PORTS[s % PORTS.length]!;
        const a = [ip(c), ip(s), sport, port] as const;
        const d = 1 + Math.floor(rand() * 2);
        window.push(line(eni(c), a[0], a[1], a[2], a[3], pk, by, st, st + 59));
        window.push(line(eni(c), a[1], a[0], a[3], a[2], pk, by * 3, st, st + 59));
        window.push(line(eni(s), a[0], a[1], a[2], a[3], pk, by, st + d, st + 59 + d));
        window.push(line(eni(s), a[1], a[0], a[3], a[2], pk, by * 3, st + d, st + 59 + d));
        records++;
      } else if (left >= 2) {
        const ext = `52.${94 + Math.floor(rand() * 4)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
        window.push(line(eni(c), ip(c), ext, sport, 443, pk, by, st, st + 59));
        window.push(line(eni(c), ext, ip(c), 443, sport, pk, by * 5, st, st + 59));
        records++;
      } else {
        const s = Math.floor(rand() * servers);
        window.push(line(eni(c), ip(c), ip(s), sport, 5432, pk, by, st, st + 59));
        records++;
      }
    }
    // lines of one capture minute arrive in no particular order
    for (let i = window.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [window[i], window[j]] = [window[j]!, window[i]!];
    }
    await write(window.join(''));
    lines += window.length;
    minute++;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { lines, expectedRecords: records, bytes };
}
