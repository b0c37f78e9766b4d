// Map overlays as the API sends them: the policy verdict of each dependency (lib/read/overlay.ts),
// and what one workload reaches under a policy (blast radius, lib/policy/service.ts).
export type { PolicyOverlay, Verdict } from '../../lib/read/overlay';
export { edgeKey } from '../../lib/read/map';
export type { BlastReport } from '../../lib/policy/service';
