// The ELK engine the page lays the map out with: in a Web Worker, so that laying out a few
// hundred workloads (about a second) does not freeze the page. Where a worker cannot start, the
// same engine runs on the page's thread (./layered.ts's default).
import ELK from 'elkjs/lib/elk-api.js';
import type { LayoutEngine } from './layered';

let engine: LayoutEngine | undefined;

export function browserLayoutEngine(): LayoutEngine | undefined {
  if (engine || typeof Worker === 'undefined') return engine;
  try {
    engine = new ELK({ workerFactory: () => new Worker(new URL('./elk-worker.ts', import.meta.url)) });
  } catch {
    engine = undefined;
  }
  return engine;
}
