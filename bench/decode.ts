// Benchmark: decode rate on one core for NetFlow v9 and IPFIX records (and, for reference, v5
// and sFlow), decoder alone and decoder + normalization with orientation (what a listener does
// per record before the sink). Datagrams are built once (bench/flow-datagrams.ts: router-like
// templates, 1,400-byte datagrams); the timed loop only decodes. Prints records/s per run and
// the median; writes bench/results/decode-<time>.json.
//
//   npm run bench -- decode                    (5 runs of 3 s per protocol)
//   npm run bench -- decode --runs 7 --seconds 5
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decode, DecoderState } from '../collectors/flowdecode';
import { decoderExtras, FlowNormalizer, type ExtrasPolicy } from '../collectors/normalize';
import type { FlowRecord } from '../lib/flow/record';
import { encodeFlowBatch, invalidReason } from '../lib/store/flow-rows';
import { flowDatagrams, type BenchProtocol } from './decode-datagrams';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, seconds: { type: 'string', default: '3' }, protocols: { type: 'string', default: 'netflow9,ipfix,netflow5,sflow5' } } });
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const pools = new Map<BenchProtocol, ReturnType<typeof flowDatagrams>>();

/**
 * records/s decoding (with extras as `bulkhead decode` keeps them, or as collectors store them),
 * optionally normalizing, optionally also validating and encoding for ClickHouse in batches of
 * 50,000 (everything a collector does per record before the engine takes over)
 */
function measure(protocol: BenchProtocol, extras: ExtrasPolicy, normalize: boolean, encode = false): number {
  if (!pools.has(protocol)) pools.set(protocol, flowDatagrams(protocol, { datagrams: 2000, flows: 200_000 }));
  const { templates, datagrams, recordsPerDatagram } = pools.get(protocol)!;
  const state = new DecoderState({ extras: decoderExtras(extras) });
  const normalizer = new FlowNormalizer(undefined, extras);
  const src = { address: '192.0.2.1', port: 40000, receivedAt: Date.now() };
  for (const t of templates) decode(t, src, state);
  // warm up
  for (let i = 0; i < 500; i++) decode(datagrams[i % datagrams.length]!, src, state);
  let records = 0;
  let sink = 0;
  let batch: FlowRecord[] = [];
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let i = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) {
      const r = decode(datagrams[i++ % datagrams.length]!, src, state);
      records += r.records.length;
      if (normalize) {
        for (const f of r.records) {
          const rec = normalizer.toRecord(f);
          sink += rec.bytes;
          if (encode && invalidReason(rec) === null) batch.push(rec);
        }
        if (batch.length >= 50_000) {
          sink += encodeFlowBatch(batch).body.length;
          batch = [];
        }
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (records === 0 || (normalize && sink === 0)) throw new Error(`${protocol}: nothing decoded`);
  void recordsPerDatagram;
  return records / seconds;
}

const results: Record<string, { decodeAll: number[]; decode: number[]; normalized: number[]; encoded: number[]; recordsPerDatagram: number }> = {};
const protocols = values.protocols!.split(',') as BenchProtocol[];
for (const p of protocols) {
  results[p] = { decodeAll: [], decode: [], normalized: [], encoded: [], recordsPerDatagram: flowDatagrams(p, { datagrams: 1, flows: 10 }).recordsPerDatagram };
  for (let run = 1; run <= RUNS; run++) {
    const a = measure(p, 'all', false);
    const d = measure(p, 'identity', false);
    const n = measure(p, 'identity', true);
    const e = measure(p, 'identity', true, true);
    results[p]!.decodeAll.push(Math.round(a));
    results[p]!.decode.push(Math.round(d));
    results[p]!.normalized.push(Math.round(n));
    results[p]!.encoded.push(Math.round(e));
    console.log(`${p.padEnd(9)} run ${run}: decode ${fmt(d)} records/s (with every extra decoded: ${fmt(a)}), + normalize and orient ${fmt(n)}, + validate and encode for ClickHouse ${fmt(e)} records/s`);
  }
}
const summary = {
  benchmark: 'decode',
  date: new Date().toISOString(),
  node: process.version,
  secondsPerRun: SECONDS,
  runs: RUNS,
  load: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
  medians: Object.fromEntries(Object.entries(results).map(([p, r]) => [p, { decode: median(r.decode), decodeAllExtras: median(r.decodeAll), normalized: median(r.normalized), encoded: median(r.encoded), recordsPerDatagram: r.recordsPerDatagram }])),
  results,
};
for (const [p, m] of Object.entries(summary.medians)) console.log(`median ${p.padEnd(9)} decode ${fmt(m.decode)} records/s (every extra: ${fmt(m.decodeAllExtras)}), + normalize ${fmt(m.normalized)}, + validate and encode ${fmt(m.encoded)} records/s (${m.recordsPerDatagram} records/datagram)`);
console.log(`load average ${summary.load.join(' ')}`);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', `decode-${summary.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
