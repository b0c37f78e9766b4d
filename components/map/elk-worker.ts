// The Web Worker that runs ELK for the map (./elk-engine.ts): elkjs's worker script answers the
// layout requests posted to this worker.
import 'elkjs/lib/elk-worker.js';
