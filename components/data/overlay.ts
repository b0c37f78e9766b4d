// Map overlays as the API sends them: the policy verdict of each dependency, and what one
// workload reaches under a policy (blast radius).

/**
 * allowed: an approved rule allows it; proposed: only a proposed rule does (approval pending);
 * blocked: the server is under approved policy but nothing approved allows this (enforcing the
 * approved policy would break it); norule: no rule allows it and the server is not under approved
 * policy yet.
 */
export type Verdict = 'allowed' | 'proposed' | 'blocked' | 'norule';

export interface PolicyOverlay {
  window: { from: string; to: string };
  rules: { approved: number; proposed: number };
  /** key `${from}|${to}|${protocol}|${port}` of each dependency of the map -> verdict */
  verdicts: Record<string, Verdict>;
  counts: Record<Verdict, number>;
}

export const edgeKey = (e: { from: string; to: string; protocol: number; port: number }) => `${e.from}|${e.to}|${e.protocol}|${e.port}`;

/** GET /api/v1/blast-radius (lib/policy/service.ts): reach under the flat network, the proposed and the approved policy. */
export type { BlastReport } from '../../lib/policy/service';
