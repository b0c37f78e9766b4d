// What an analysis must not mistake for dependencies: an internal scanner's weekly sweep, an
// outside scanner on the public fronts, a slow scanner (a dozen probes a day), orientation
// noise (records whose "server port" is a client's ephemeral port); and a collector's gap.
import type { Estate, EstateWorkload } from './estate-types';
import { DAY, DEMO_EXPORTERS, exporterOf, HOUR, type EstateBuilder } from './estate-builder';
import { SCAN_PORTS } from './catalog';

export const EXTERNAL_SCANNER = '192.0.2.66';
export const SLOW_SCANNER = '192.0.2.99';

/** The scans; returns the scanning endpoints (workload name and outside addresses). */
export function addScans(b: EstateBuilder, scanner: EstateWorkload, publicFronts: readonly EstateWorkload[]): string[] {
  const { r, start, end, days, conversations } = b;
  const targets = b.workloads.filter((w) => w.env !== 'dev' && w !== scanner);
  for (const t of targets) {
    const h = t.bindings[t.bindings.length - 1]!;
    const open = SCAN_PORTS.filter((p) => t.serves.includes(`tcp/${p}`));
    conversations.push({
      id: b.nextId++, client: scanner.name, server: t.name, clientAddr: scanner.bindings[0]!.ip, serverAddr: h.ip, protocol: 6, port: 0, ports: SCAN_PORTS, open,
      schedule: { type: 'weekly', dow: 6, hour: 22, hours: 1 }, from: Math.max(start, h.from), to: Math.min(end, h.to ?? end), fph: 1, bytes: 60, kind: 'scan', failed: true, exporter: exporterOf(t, DEMO_EXPORTERS.shared),
    });
  }
  for (const w of publicFronts) {
    for (const h of w.bindings.filter((x) => !x.ip.includes(':'))) {
      conversations.push({
        id: b.nextId++, client: EXTERNAL_SCANNER, server: w.name, clientAddr: EXTERNAL_SCANNER, serverAddr: h.ip, protocol: 6, port: 0, ports: SCAN_PORTS, open: [443],
        schedule: { type: 'irregular', pct: 30, hour: 3, hours: 1 }, from: Math.max(start, h.from), to: Math.min(end, h.to ?? end), fph: 1, bytes: 60, kind: 'scan', failed: true, exporter: DEMO_EXPORTERS.prod,
      });
    }
  }
  // a slow scanner: a dozen probes a day from the internet, each to a different host and port
  const slowTargets = targets.filter((w) => w.env === 'prod');
  for (let d = 0; d < days && slowTargets.length; d++) {
    for (let i = 0; i < 12; i++) {
      const t = r.pick(slowTargets);
      const h = t.bindings[t.bindings.length - 1]!;
      const at = Math.floor(start / HOUR) + d * 24 + r.int(0, 23);
      if (at * HOUR < h.from || (h.to !== null && at * HOUR >= h.to)) continue;
      const port = r.pick(SCAN_PORTS.filter((p) => !t.serves.includes(`tcp/${p}`)));
      conversations.push({
        id: b.nextId++, client: SLOW_SCANNER, server: t.name, clientAddr: SLOW_SCANNER, serverAddr: h.ip, protocol: 6, port, schedule: { type: 'once', at, hours: 1 },
        from: start, to: end, fph: 1, bytes: 60, kind: 'scan', failed: true, exporter: DEMO_EXPORTERS.prod,
      });
    }
  }
  return [scanner.name, EXTERNAL_SCANNER, SLOW_SCANNER];
}

/** Orientation noise: a few records whose "server port" is the client's ephemeral port. */
export function addNoise(b: EstateBuilder, business: readonly EstateWorkload[]): void {
  const { r, start, end, days } = b;
  const noiseCount = Math.max(20, Math.round(b.target / 3));
  for (let i = 0; i < noiseCount; i++) {
    const x = r.pick(business);
    const y = r.pick(business);
    if (x === y) continue;
    const at = Math.floor(start / HOUR) + r.int(0, days * 24 - 1);
    const xb = x.bindings.find((h) => h.from <= at * HOUR && (h.to === null || h.to > at * HOUR));
    const yb = y.bindings.find((h) => h.from <= at * HOUR && (h.to === null || h.to > at * HOUR) && !h.ip.includes(':'));
    if (!xb || !yb || xb.ip.includes(':')) continue;
    b.conversations.push({
      id: b.nextId++, client: x.name, server: y.name, clientAddr: xb.ip, serverAddr: yb.ip, protocol: r.chance(0.7) ? 6 : 17, port: r.int(32768, 60999),
      schedule: { type: 'once', at, hours: 1 }, from: start, to: end, fph: 1, bytes: 300, kind: 'noise', failed: false, exporter: exporterOf(x, DEMO_EXPORTERS.shared),
    });
  }
}

/** The exporters; the dev collector went quiet for a maintenance window: coverage must show the gap. */
export function exportersWithGap(end: number, days: number): Estate['exporters'] {
  const gapAt = Math.floor((end - Math.max(3, Math.round(days / 3)) * DAY) / DAY) * DAY + 2 * HOUR;
  return Object.values(DEMO_EXPORTERS).map((name) => ({ name, gaps: name === DEMO_EXPORTERS.dev ? [{ from: gapAt, to: gapAt + 8 * HOUR }] : [] }));
}
