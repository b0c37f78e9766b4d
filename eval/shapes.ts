// The estates `npm run bench -- accuracy` measures: every naming convention with every labelling
// at about 80 and 250 workloads (sources alternating so both reach every axis value), two
// estates of about 2,000, and the demo. Seeds differ per estate, so no two share their random
// choices (address plan, which applications, which ports the scanner sweeps).
import { LABEL_AXES, NAMINGS, type ZooShape } from './zoo/model';

export function benchShapes(opts: { sizes?: number[]; seedBase?: number } = {}): ZooShape[] {
  const sizes = opts.sizes ?? [80, 250, 2000];
  const base = opts.seedBase ?? 1;
  const out: ZooShape[] = [];
  let i = 0;
  for (const workloads of sizes.filter((s) => s < 1000)) {
    for (const naming of NAMINGS) {
      for (const labels of LABEL_AXES) {
        out.push({ workloads, naming, labels, source: i % 2 ? 'ipfix' : 'aws', seed: base + i });
        i++;
      }
    }
  }
  if (sizes.some((s) => s >= 1000)) {
    const large = sizes.find((s) => s >= 1000)!;
    out.push({ workloads: large, naming: 'mixed', labels: 'wrong', source: 'aws', seed: base + i++ });
    out.push({ workloads: large, naming: 'codes', labels: 'none', source: 'ipfix', seed: base + i++ });
  }
  return out;
}
