// Rules as the policy routes send them (lib/read/rules.ts ruleJson), and helpers to
// read selectors and ports the way people write them ("app=orders,role=db", "tcp/5432"), from
// lib/policy/format.ts, the browser-safe half of the policy model.
import { formatPort, formatSelector } from '../../lib/policy/format';
import type { Evidence, PortSpec, RuleStatus, Selector } from '../../lib/policy/model';

export type { Evidence, PortSpec, RuleStatus, Selector };
export type { RuleJson } from '../../lib/read/rules';

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

/** A selector as people read it, in the server's words; "*" spelled out for readers of the page. */
export function selectorText(s: Selector): string {
  const text = formatSelector(s);
  return text === '*' ? '* (every workload)' : text;
}

/** A port as people read it, in the server's words; a bare protocol spelled out. */
export function portText(p: PortSpec): string {
  const text = formatPort(p);
  return text === p.protocol && p.protocol !== 'icmp' && p.protocol !== 'any' ? `${text} (every port)` : text;
}
