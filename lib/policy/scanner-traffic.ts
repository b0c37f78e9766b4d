// What discovery set apart as scanning, in the terms a simulation decides conversations in: the
// workloads whose every conversation as a client is a probe (scope "source"), the shared services
// that also sweep (scope "probes": a conversation of theirs is a probe unless discovery kept it as
// a dependency), and the outside addresses that swept. Simulation (./simulate-sql.ts) and the
// readiness gate (./readiness.ts) read scanners through this one definition, so the pages, the CLI
// and the gate leave out the same traffic (docs/policy.md, "Scanners in simulation").
import type { AnalysisResult } from '../analysis/types';

export interface ScannerTraffic {
  /** workload ids whose conversations as a client are all probes */
  sources: string[];
  /** workload ids of services that also sweep: their conversations are probes unless kept */
  probing: string[];
  /** what a probing service keeps coming back to: [client workload, server workload, protocol, port] */
  kept: Array<[string, string, number, number]>;
  /** outside addresses (no workload) that swept */
  addresses: string[];
}

export const NO_SCANNERS: ScannerTraffic = { sources: [], probing: [], kept: [], addresses: [] };

export function scannerTraffic(analysis: AnalysisResult): ScannerTraffic {
  const sources = new Set<string>();
  const probing = new Set<string>();
  const addresses = new Set<string>();
  for (const w of analysis.workloads) if (w.scanner) sources.add(w.id);
  for (const s of analysis.coverage.excluded.scanners) {
    if (!s.workloadId) addresses.add(s.id);
    else if (s.scope === 'probes') probing.add(s.workloadId);
    else sources.add(s.workloadId);
  }
  for (const id of probing) sources.delete(id);
  const workloads = new Set(analysis.workloads.map((w) => w.id));
  const kept = analysis.edges
    .filter((e) => probing.has(e.from) && !e.fromScanner && workloads.has(e.to))
    .map((e): [string, string, number, number] => [e.from, e.to, e.protocol, e.port]);
  return { sources: [...sources].sort(), probing: [...probing].sort(), kept, addresses: [...addresses].sort() };
}

/** Is a conversation from `client` (a workload id, or '' for an address) to `server` a probe? */
export function isProbe(t: ScannerTraffic, c: { clientWorkload: string | null; clientAddress: string; serverWorkload: string | null; protocol: number; port: number }): boolean {
  if (!c.clientWorkload) return t.addresses.includes(c.clientAddress);
  if (t.sources.includes(c.clientWorkload)) return true;
  if (!t.probing.includes(c.clientWorkload) || !c.serverWorkload) return false;
  return !t.kept.some(([f, s, p, port]) => f === c.clientWorkload && s === c.serverWorkload && p === c.protocol && port === c.port);
}
