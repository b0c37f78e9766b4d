// How one estate does things: its words for environments, its address plan, which product runs
// each shared service and on which port, and when its nightly, weekly and monthly work happens.
// Real estates differ in all of these; every one is drawn from the seed.
import { SCAN_PORTS } from './catalog';
import type { Random } from './random';
import type { Env } from './skeleton';
import type { ZooShape } from './model';

export interface Vocabulary {
  /** what the estate calls pre-production */
  preprod: 'staging' | 'uat' | 'preprod';
  /** `env` tag values */
  envTag: Record<Env, string>;
  /** the environment in readable hostnames */
  envWord: Record<Env, string>;
  /** the environment in coded hostnames */
  envCode: Record<Env, string>;
}

/** A night-time window: starts at `hour` (UTC) and lasts `hours`. */
export interface Window {
  hour: number;
  hours: number;
}

export interface Practices {
  vocabulary: Vocabulary;
  plan: 'segmented' | 'flat';
  /** who answers DNS */
  dnsBy: 'controllers' | 'resolvers';
  /** who serves time to Linux machines (Windows members always ask a controller) */
  ntpBy: 'controllers' | 'servers';
  log: { protocol: number; port: number };
  /** the monitoring agent port per operating system (SNMP is UDP) */
  scrape: { protocol: number; linux: number; windows: number };
  pings: boolean;
  monitoringUi: number;
  backup: Window & { port: number; storagePort: number };
  patch: Window & { rhythm: 'weekly' | 'second-tuesday'; dow: number; repoPort: number; wsusPort: number };
  config: 'none' | 'puppet' | 'salt' | 'ansible';
  ansible: Window;
  /** what Linux machines use of the directory besides DNS */
  linuxDirectoryPorts: number[];
  proxyPort: number;
  /** how administrators reach Windows machines from the jump hosts */
  windowsRemote: number[];
  scan: Window & { ports: number[]; dow: number };
  sweep: { by: 'scanner' | 'monitoring' | 'discovery'; weekly: boolean; dow: number; hour: number };
  outsideScanner: boolean;
  /** servers are VMs on vSphere (IPFIX from virtual switches) or cloud instances (VPC flow logs) */
  platform: 'vsphere' | 'cloud';
}

function chooseVocabulary(rng: Random): Vocabulary {
  const preprod = rng.pick(['staging', 'uat', 'preprod'] as const);
  const prodTag = rng.pick(['prd', 'production', 'prod']);
  const preprodTag = { staging: rng.pick(['staging', 'stg']), uat: 'uat', preprod: rng.pick(['preprod', 'pre-prod', 'ppd']) }[preprod];
  const devTag = rng.pick(['dev', 'development', 'test']);
  // infrastructure is run as production; some estates say so in its tag, others call it shared
  const sharedTag = rng.pick(['shared', 'infra', prodTag]);
  const preprodWord = { staging: rng.pick(['stg', 'staging']), uat: 'uat', preprod: rng.pick(['preprod', 'ppd']) }[preprod];
  const prodCode = rng.pick(['prd', 'prd', 'prod']);
  return {
    preprod,
    envTag: { prod: prodTag, staging: preprodTag, dev: devTag, shared: sharedTag },
    envWord: { prod: rng.pick(['prod', 'prd', 'p']), staging: preprodWord, dev: rng.pick(['dev', 'tst']), shared: 'inf' },
    envCode: {
      prod: prodCode,
      staging: { staging: 'stg', uat: 'uat', preprod: 'ppd' }[preprod],
      dev: rng.pick(['dev', 'tst']),
      shared: rng.pick([prodCode, 'inf']),
    },
  };
}

export function choosePractices(rng: Random, shape: Required<ZooShape>): Practices {
  const log = rng.pick([
    { protocol: 17, port: 514 },
    { protocol: 6, port: 6514 },
    { protocol: 6, port: 5044 },
    { protocol: 6, port: 24224 },
  ]);
  const scrape = rng.pick([
    { protocol: 6, linux: 9100, windows: 9182 }, // Prometheus node and windows exporters
    { protocol: 6, linux: 10050, windows: 10050 }, // Zabbix agent
    { protocol: 17, linux: 161, windows: 161 }, // SNMP
  ]);
  const patchRhythm = rng.pick(['weekly', 'second-tuesday'] as const);
  const config = rng.weighted([
    ['none', 0.25],
    ['puppet', 0.3],
    ['salt', 0.15],
    ['ansible', 0.3],
  ] as const);
  const scanHours = rng.int(2, 6);
  return {
    vocabulary: chooseVocabulary(rng),
    plan: rng.pick(['segmented', 'flat'] as const),
    dnsBy: rng.chance(0.6) ? 'controllers' : 'resolvers',
    ntpBy: rng.chance(0.6) ? 'servers' : 'controllers',
    log,
    scrape,
    pings: rng.chance(0.7),
    monitoringUi: rng.pick([443, 3000]),
    backup: { hour: rng.pick([20, 21, 22, 23, 0, 1]), hours: rng.int(2, 5), port: rng.pick([10000, 9102, 1556, 6106]), storagePort: rng.pick([2049, 3260]) },
    patch: {
      rhythm: patchRhythm,
      dow: rng.pick([2, 3, 6, 7]),
      hour: rng.pick([1, 2, 3, 22, 23]),
      hours: rng.int(2, 4),
      repoPort: rng.pick([80, 443]),
      wsusPort: rng.pick([8530, 8531]),
    },
    config,
    ansible: { hour: rng.int(0, 4), hours: rng.int(1, 2) },
    linuxDirectoryPorts: rng.pick([[389], [636], [88, 389]]),
    proxyPort: rng.pick([3128, 8080]),
    windowsRemote: rng.pick([[3389], [3389], [5985], [3389, 5986]]),
    scan: { ports: rng.sample(SCAN_PORTS, rng.int(20, Math.min(60, SCAN_PORTS.length))).sort((a, b) => a - b), dow: rng.int(1, 7), hour: rng.pick([20, 21, 22, 23, 0, 1]), hours: scanHours },
    sweep: { by: rng.pick(['scanner', 'monitoring', 'discovery'] as const), weekly: rng.chance(0.6), dow: rng.int(1, 7), hour: rng.int(0, 23) },
    outsideScanner: rng.chance(0.5),
    platform: shape.source === 'aws' ? 'cloud' : 'vsphere',
  };
}
