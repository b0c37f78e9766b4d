'use client';
// Networks of unknown clients discovery suggests (admin workstations, user subnets nobody
// declared): proposals already use them; a person accepts one (renamed or narrowed) so that it
// groups its addresses from then on, or declines it so that it is not suggested again.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import { useState } from 'react';
import { apiSend } from '../api/client';
import type { CoverageReport } from '../data/discovery';
import { num, pct } from '../format';
import { numCol, TableHead } from '../ui/TableHead';

type Suggestion = CoverageReport['networks'][number];

export function SuggestedNetworks({ networks }: { networks: Suggestion[] }) {
  return (
    <section className="card" aria-labelledby="nets-h">
      <h2 id="nets-h">Networks of unknown clients</h2>
      {networks.length === 0 ? (
        <p className="muted">No undeclared client networks: every client is a workload, a named network or the internet.</p>
      ) : (
        <>
          <p>
            Addresses no inventory names that sit together and reach the same things. Proposals use each network instead of its addresses, so next week&apos;s workstation is
            covered too. Accept one to group its addresses from now on (rename it, or narrow it to a range inside), or decline it.
          </p>
          <table className="data compact" aria-label="Suggested networks">
            <TableHead columns={['Network', 'Range', numCol('Addresses seen'), 'Reaches', numCol('Confidence'), 'Decide']} />
            <tbody>
              {networks.map((n) => (
                <NetworkRow key={n.name} n={n} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function NetworkRow({ n }: { n: Suggestion }) {
  const qc = useQueryClient();
  const [as, setAs] = useState(n.name);
  const [cidr, setCidr] = useState(n.cidr);
  const done = () => refreshAfterChange(qc, ['coverage']);
  const accept = useMutation({
    mutationFn: () => apiSend('POST', `/api/v1/networks/${encodeURIComponent(n.name)}/accept`, { as: as !== n.name ? as : undefined, cidr: cidr !== n.cidr ? cidr : undefined }),
    onSuccess: done,
  });
  const decline = useMutation({ mutationFn: () => apiSend('DELETE', `/api/v1/networks/${encodeURIComponent(n.name)}`), onSuccess: done });
  const error = (accept.error ?? decline.error) as Error | null;
  return (
    <tr>
      <td>
        <label className="visually-hidden" htmlFor={`net-name-${n.name}`}>
          Name for {n.cidr}
        </label>
        <input id={`net-name-${n.name}`} value={as} onChange={(e) => setAs(e.target.value)} size={24} />
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`net-cidr-${n.name}`}>
          Range of {n.name}
        </label>
        <input id={`net-cidr-${n.name}`} value={cidr} onChange={(e) => setCidr(e.target.value)} size={18} />
      </td>
      <td className="num">{num(n.addresses)}</td>
      <td>{n.reaches.join(', ')}</td>
      <td className="num">{pct(n.confidence, 0)}</td>
      <td>
        <button type="button" className="btn btn-small" disabled={accept.isPending || accept.isSuccess} onClick={() => accept.mutate()}>
          {accept.isSuccess ? 'Accepted' : 'Accept'}
        </button>{' '}
        <button type="button" className="btn btn-small btn-danger" disabled={decline.isPending || decline.isSuccess} onClick={() => decline.mutate()}>
          {decline.isSuccess ? 'Declined' : 'Decline'}
        </button>
        {error && <p role="alert" className="status-warn">{error.message}</p>}
      </td>
    </tr>
  );
}
