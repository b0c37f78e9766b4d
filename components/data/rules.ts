// Rules as the policy routes send them (app/api/v1/_policy/common.ts ruleJson), and helpers to
// read selectors and ports the way people write them ("app=orders,role=db", "tcp/5432"). The two
// helpers mirror formatSelector/formatPort of lib/policy/model.ts, which the browser bundle
// cannot import (it parses CIDRs with node:net); the server's text (`rule`) is used wherever the
// API sends it.
import type { Evidence, PortSpec, RuleStatus, Selector } from '../../lib/policy/model';

export type { Evidence, PortSpec, RuleStatus, Selector };

export interface RuleJson {
  id: string;
  shortId: string;
  action: 'allow';
  from: Selector;
  to: Selector;
  ports: PortSpec[];
  /** "app=orders,role=web -> app=orders,role=api tcp/8080" */
  rule: string;
  intent: string;
  owner: string | null;
  application: { id: string; name: string | null } | null;
  status: RuleStatus;
  expires: string | null;
  origin: 'proposal' | 'manual' | 'import';
  evidence: Evidence | null;
  createdAt: string;
  updatedAt: string;
}

export interface RuleHistoryEntry {
  at: string;
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  before: unknown;
  after: unknown;
}

export const KIND_LABELS: Record<string, string> = {
  'intra-app': 'inside the application',
  'cross-app': 'between applications',
  'core-service': 'to a shared service',
  'core-agent': 'from a shared service to its agents',
  management: 'management path',
  ingress: 'from outside',
  egress: 'to outside',
  environment: 'between environments',
};

const LABEL_ORDER = ['workload', 'app', 'role', 'env', 'loc'];

/** A selector as people read it (same text as lib/policy/model.ts formatSelector). */
export function selectorText(s: Selector): string {
  if ('any' in s) return 'any';
  if ('cidr' in s) return s.except?.length ? `${s.cidr} except ${s.except.join(' ')}` : s.cidr;
  const keys = Object.keys(s.labels).sort((a, b) => {
    const ia = LABEL_ORDER.indexOf(a);
    const ib = LABEL_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return keys.length ? keys.map((k) => `${k}=${s.labels[k]}`).join(',') : '* (every workload)';
}

export function portText(p: PortSpec): string {
  if (p.protocol === 'icmp' || p.protocol === 'any') return p.protocol;
  if (p.port === undefined) return `${p.protocol} (every port)`;
  return p.endPort !== undefined && p.endPort !== p.port ? `${p.protocol}/${p.port}-${p.endPort}` : `${p.protocol}/${p.port}`;
}
