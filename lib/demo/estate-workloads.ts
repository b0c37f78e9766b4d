// The estate's workloads: the shared infrastructure (core services, jump hosts, a hypervisor
// manager and its hosts, a scanner), then tiered business applications in their environments,
// round after round of the catalog (regions) until the workload budget is spent.
import type { CoreServiceKind } from '../analysis/types';
import { APPS, REGIONS, ROLE_TOKENS, type AppTemplate } from './catalog';
import type { EstateWorkload } from './estate-types';
import { addrOf, addWorkload, freshOpaque, type EstateBuilder } from './estate-builder';

export type Tier = 'web' | 'api' | 'worker' | 'db' | 'cache' | 'queue';
export const TIERS: readonly Tier[] = ['web', 'api', 'worker', 'db', 'cache', 'queue'];
const ENV_SUFFIX: Record<string, string> = { prod: '', staging: '-stg', dev: '-dev' };

export interface Infrastructure {
  dns: EstateWorkload[];
  ntp: EstateWorkload[];
  dcs: EstateWorkload[];
  log: EstateWorkload;
  mon: EstateWorkload;
  backup: EstateWorkload;
  patch: EstateWorkload;
  jumps: EstateWorkload[];
  vcenter: EstateWorkload;
  esx: EstateWorkload[];
  scanner: EstateWorkload;
}

/** One application in one environment, its members by tier. */
export interface Instance {
  tpl: AppTemplate;
  app: string;
  env: string;
  members: Record<Tier, EstateWorkload[]>;
}

export function addInfrastructure(b: EstateBuilder): Infrastructure {
  const coreLabeled = b.r.chance(0.5);
  const core = (name: string, kind: CoreServiceKind, app: string) =>
    addWorkload(b, { name, kind: 'vm', env: 'shared', app, role: 'core', coreService: kind, windows: kind === 'directory', labels: coreLabeled ? { app, env: 'shared', role: 'core' } : {} });
  const dns = [core('dns-01', 'dns', 'dns'), core('dns-02', 'dns', 'dns')];
  const ntp = [core('ntp-01', 'ntp', 'ntp')];
  const dcs = [core('dc-01', 'directory', 'directory'), core('dc-02', 'directory', 'directory')];
  const log = core('log-01', 'logging', 'logging');
  const mon = core('mon-01', 'monitoring', 'monitoring');
  const backup = core('backup-01', 'backup', 'backup');
  const patch = core('patch-01', 'patching', 'patching');
  const jumps = [
    addWorkload(b, { name: 'jump-01', kind: 'vm', env: 'shared', app: 'jump-hosts', role: 'management', coreService: null, windows: false, labels: {} }),
    addWorkload(b, { name: 'jump-02', kind: 'vm', env: 'shared', app: 'jump-hosts', role: 'management', coreService: null, windows: true, labels: {} }),
  ];
  const vcenter = addWorkload(b, { name: 'vcenter-01', kind: 'vm', env: 'shared', app: 'virtualization', role: 'api', coreService: null, windows: false, labels: {} });
  const esx = [1, 2, 3, 4].map((i) => addWorkload(b, { name: `esx-0${i}`, kind: 'host', env: 'shared', app: 'virtualization', role: 'api', coreService: null, windows: false, labels: {} }));
  const scanner = addWorkload(b, { name: 'sec-scan-01', kind: 'vm', env: 'shared', app: 'security-scanning', role: 'scanner', coreService: null, windows: false, labels: {} });
  return { dns, ntp, dcs, log, mon, backup, patch, jumps, vcenter, esx, scanner };
}

/**
 * Applications until the workloads reach the builder's target: each in prod, some in staging and
 * dev; `labeledShare` of them labelled in inventory, `conventional` of them with hostnames that
 * say app and tier.
 */
export function addApplications(b: EstateBuilder, labeledShare: number, conventional: number): Instance[] {
  const r = b.r;
  const instances: Instance[] = [];
  const budget = b.target - b.workloads.length;
  let made = 0;
  for (let round = 0; round <= REGIONS.length; round++) {
    for (const tpl of APPS) {
      const app = round === 0 ? tpl.name : `${tpl.name}-${REGIONS[round - 1]}`;
      const envs = ['prod', ...(r.chance(0.6) ? ['staging'] : []), ...(r.chance(0.4) ? ['dev'] : [])];
      const labeled = r.chance(labeledShare);
      const named = r.chance(conventional);
      const style = r.int(0, 2);
      for (const env of envs) {
        const members = { web: [], api: [], worker: [], db: [], cache: [], queue: [] } as Record<Tier, EstateWorkload[]>;
        for (const tier of TIERS) {
          const n = tpl[tier];
          const count = n === 0 ? 0 : env === 'prod' ? n : env === 'staging' ? Math.ceil(n / 2) : 1;
          for (let i = 1; i <= count; i++) {
            const ip = addrOf(b, env);
            const name = named
              ? `${app}-${ROLE_TOKENS[tier]![(app.length + i) % ROLE_TOKENS[tier]!.length]}-${String(i).padStart(2, '0')}${ENV_SUFFIX[env]}`
              : freshOpaque(b, style, ip, tpl.windows ?? false);
            const labels: Record<string, string> = labeled ? { app, env, role: tier } : r.chance(0.3) ? { env } : {};
            members[tier].push(addWorkload(b, { name, kind: r.chance(0.2) ? 'instance' : 'vm', env, app, role: tier, coreService: null, windows: tpl.windows ?? false, labels, ip }));
            made++;
          }
        }
        instances.push({ tpl, app, env, members });
      }
      if (made >= budget) return instances;
    }
  }
  return instances;
}

/** Every business workload, instance by instance, tier by tier. */
export const businessOf = (instances: readonly Instance[]): EstateWorkload[] => instances.flatMap((i) => TIERS.flatMap((t) => i.members[t]));
