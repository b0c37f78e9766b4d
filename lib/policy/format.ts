// Selectors and ports as people read and write them. Kept apart from model.ts, which validates
// CIDRs with node:net, so that the browser bundle can show rules in exactly the server's words.
import type { PortSpec, Selector } from './selector';

const LABEL_ORDER = ['workload', 'app', 'role', 'env', 'loc'];
function labelOrder(a: string, b: string) {
  const ia = LABEL_ORDER.indexOf(a);
  const ib = LABEL_ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}

/** Selector in the short text people type and read: "app=orders,role=db", "10.0.0.0/8", "any", "*" (every workload). */
export function formatSelector(s: Selector): string {
  if ('labels' in s) {
    const keys = Object.keys(s.labels).sort(labelOrder);
    return keys.length ? keys.map((k) => `${k}=${s.labels[k]}`).join(',') : '*';
  }
  if ('cidr' in s) return s.except?.length ? `${s.cidr} except ${s.except.join(' ')}` : s.cidr;
  return 'any';
}

/** "tcp/5432", "tcp/8000-8100", "udp/53", "icmp", "tcp" (every port), "any". */
export function formatPort(p: PortSpec): string {
  if (p.protocol === 'icmp' || p.protocol === 'any') return p.protocol;
  if (p.port === undefined) return p.protocol;
  return p.endPort !== undefined && p.endPort !== p.port ? `${p.protocol}/${p.port}-${p.endPort}` : `${p.protocol}/${p.port}`;
}

export const formatPorts = (ports: readonly PortSpec[]) => ports.map(formatPort).join(' ');
