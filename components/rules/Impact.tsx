'use client';
// What approving would change, before anyone enforces anything: the observed traffic of the last
// week under the approved and the proposed policy (allowed vs would-block), and how far a
// compromised workload reaches under the flat network, the proposed and the approved policy.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { apiGet } from '../api/client';
import { Bars } from '../charts/Bars';
import type { BlastReport } from '../data/overlay';
import { pct } from '../format';
import type { SimulationResult } from '../../lib/policy/simulate';
import { ErrorBox, Loading } from '../ui/States';
import { DISCOVERY_DAYS } from '../../lib/analysis/window';

export function Impact() {
  const [open, setOpen] = useState(false);
  const sim = (policy: 'approved' | 'proposed') => ({
    // every workload enforced: what the rules would block once enforced, not what today's states let
    // through (as exported, nothing is blocked before anyone enforces)
    queryKey: ['simulation', policy, DISCOVERY_DAYS, 0, 'all'],
    queryFn: ({ signal }: { signal: AbortSignal }) => apiGet<SimulationResult>('/api/v1/simulation', { policy, days: DISCOVERY_DAYS, top: 0, enforcement: 'all' }, signal),
    enabled: open,
    staleTime: 60_000,
  });
  const approved = useQuery(sim('approved'));
  const proposed = useQuery(sim('proposed'));
  const blast = useQuery({ queryKey: ['blast-radius', null], queryFn: ({ signal }) => apiGet<BlastReport>('/api/v1/blast-radius', undefined, signal), enabled: open, staleTime: 60_000 });
  const err = approved.error ?? proposed.error ?? blast.error;
  return (
    <details className="card" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <h2 style={{ display: 'inline' }}>Impact: what the rules would block, and how much they shrink the blast radius</h2>
      </summary>
      {err ? (
        <ErrorBox error={err} />
      ) : !approved.data || !proposed.data || !blast.data ? (
        open && <Loading what={`Simulating the last ${DISCOVERY_DAYS} days of traffic and computing the blast radius`} />
      ) : (
        <div className="grid-2">
          <div>
            <h3>Last {DISCOVERY_DAYS} days of traffic</h3>
            <Bars
              label="Flows allowed and would-block per policy, every application enforced"
              stacked
              data={[
                { name: `approved (${approved.data.policy.rules} rules)`, allowed: approved.data.totals.allowedFlows, blocked: approved.data.totals.blockedFlows },
                { name: `proposed (${proposed.data.policy.rules} rules)`, allowed: proposed.data.totals.allowedFlows, blocked: proposed.data.totals.blockedFlows },
              ]}
              series={[
                { key: 'allowed', label: 'allowed flows', color: '#2e8b57' },
                { key: 'blocked', label: 'would-block flows', color: '#c0392b' },
              ]}
            />
            <p className="muted">
              Rule coverage of observed connections: approved {pct(approved.data.coverage.answered.ratio)}, with the proposals {pct(proposed.data.coverage.answered.ratio)}.{' '}
              <Link href="/simulation?policy=proposed&enforcement=all">What exactly would be blocked once enforced</Link>
            </p>
          </div>
          <div>
            <h3>Blast radius: workloads a compromised workload reaches (mean)</h3>
            <Bars
              label="Mean reach per policy"
              data={[
                { name: 'flat network', oneHop: blast.data.flat.oneHop, multiHop: blast.data.flat.multiHop },
                { name: 'proposed', oneHop: blast.data.proposed.oneHop.mean, multiHop: blast.data.proposed.multiHop.mean },
                { name: 'approved', oneHop: blast.data.approved.oneHop.mean, multiHop: blast.data.approved.multiHop.mean },
              ]}
              series={[
                { key: 'oneHop', label: 'one hop', color: '#e67e22' },
                { key: 'multiHop', label: 'lateral movement (any hops)', color: '#8e44ad' },
              ]}
              format={(n) => n.toFixed(n < 10 ? 1 : 0)}
            />
            <p className="muted">
              One-hop reduction against the flat network: proposed {pct(blast.data.proposed.reduction.oneHop)}, approved {pct(blast.data.approved.reduction.oneHop)}.{' '}
              <Link href="/blast-radius">Per application and workload</Link>
            </p>
          </div>
        </div>
      )}
    </details>
  );
}
