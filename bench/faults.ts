// npm run bench -- faults [--only NAME] [--small] [--keep]: the fault scenarios of docs/reliability.md at
// full size, against real processes (bench/faults/scenarios.ts). Prints offered, stored, lost,
// duplicated, peak RSS and time per scenario; exits 1 when a promise does not hold.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { badRecords, farTimestamps, importKilled, inventoryKilled, longLine, ownerEscalation, removeHomes, templateFlood, type FaultResult } from './faults/scenarios';

const { values } = parseArgs({ options: { only: { type: 'string' }, small: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } });
const small = values.small;
const scenarios: Array<[string, () => Promise<FaultResult>]> = [
  ['far-timestamps', () => farTimestamps({ datagrams: small ? 200 : 10_000 })],
  ['template-flood', () => templateFlood({ announcements: small ? 50_000 : 1_000_000 })],
  ['import-killed', () => importKilled({ lines: small ? 100_000 : 1_000_000 })],
  ['inventory-killed', () => inventoryKilled({ workloads: small ? 2_000 : 20_000 })],
  ['long-line', () => longLine({ megabytes: 32, good: small ? 1_000 : 100_000 })],
  ['bad-records', () => badRecords({ records: small ? 300 : 10_000 })],
  ['owner-escalation', () => ownerEscalation()],
];
const fmt = (n: number) => n.toLocaleString('en-US');
const results: Array<FaultResult & { load: number }> = [];
console.log(`faults: load ${loadavg()[0]!.toFixed(1)}`);
console.log('scenario | offered | stored | lost | duplicated | peak RSS | time | held');
for (const [name, run] of scenarios) {
  if (values.only && !name.includes(values.only)) continue;
  const r = await run();
  results.push({ ...r, load: loadavg()[0]! });
  console.log(`${r.scenario} | ${fmt(r.offered)} | ${fmt(r.stored)} | ${fmt(r.lost)} | ${fmt(r.duplicated)} | ${r.peakRssMB === null ? '-' : `${r.peakRssMB} MB`} | ${r.seconds.toFixed(1)} s | ${r.ok ? 'yes' : 'NO'}   (load ${loadavg()[0]!.toFixed(1)})`);
  for (const n of r.notes) console.log(`    ${n}`);
}
// --keep leaves the scenarios' homes in the temporary directory to look into
if (!values.keep) removeHomes();
const failed = results.filter((r) => !r.ok);
console.log(failed.length ? `FAIL: ${failed.map((r) => r.scenario).join('; ')}` : `PASS: every promise held`);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
const date = new Date().toISOString();
writeFileSync(join(import.meta.dirname, 'results', `faults-${date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ benchmark: 'faults', date, small, results }, null, 2)}\n`);
process.exit(failed.length ? 1 : 0);
