// A generated estate with its ground truth: environments of tiered applications, the shared core
// services everyone uses, jump hosts, hypervisors, scanners, users and internet clients, partner
// and outside services, addresses that change hands, and weeks of conversations with realistic
// rhythms (continuous, business hours, nightly, weekly, monthly, once).
//
// The estate is a description: workloads with their address history and labels (what inventory
// would say), named networks, and conversation specs (who talks to whom on which port, when, how
// much). ./flows.ts expands the specs into flow records inside ClickHouse; ./truth.ts derives the
// dependencies a correct analysis must find in a window. Same seed, same estate.
//
// generateEstate is a pipeline of steps that add to one EstateBuilder (./estate-builder.ts):
// workloads (./estate-workloads.ts), conversations (./estate-traffic.ts), addresses that change
// hands (./estate-changes.ts), scans and noise (./estate-scans.ts). The order of the steps is
// the order in which they draw from the seeded random stream: changing it changes the estate.
import { estateBuilder } from './estate-builder';
import { reuseAddresses, rebuildInstances } from './estate-changes';
import { addScans, addNoise, exportersWithGap } from './estate-scans';
import { addApplicationTraffic, addCoreTraffic, addInternetClients, addManagementTraffic } from './estate-traffic';
import { addApplications, addInfrastructure, businessOf } from './estate-workloads';
import type { Estate, EstateNetwork, EstateOptions } from './estate-types';

export * from './estate-types';
export { DEMO_EXPORTERS } from './estate-builder';

export const NETWORKS: readonly EstateNetwork[] = [
  { name: 'corp-users', kind: 'user', cidrs: ['10.100.0.0/16'] },
  { name: 'partner-acme', kind: 'partner', cidrs: ['203.0.113.0/24'] },
];

export function generateEstate(opts: EstateOptions = {}): Estate {
  const b = estateBuilder(opts);
  const infra = addInfrastructure(b);
  const instances = addApplications(b, opts.labeledShare ?? 0.4, opts.conventionalNames ?? 0.6);
  addApplicationTraffic(b, instances);
  const publicFronts = addInternetClients(b, instances, opts.internetClients ?? b.target);
  const business = businessOf(instances);
  addCoreTraffic(b, infra, business);
  addManagementTraffic(b, infra, business);
  const nReuse = opts.reusedAddresses ?? Math.max(4, Math.round(b.target * 0.015));
  const reused = reuseAddresses(b, instances, business, nReuse);
  rebuildInstances(b, business, Math.max(1, Math.round(nReuse / 2)));
  const scanners = addScans(b, infra.scanner, publicFronts);
  addNoise(b, business);
  return {
    seed: opts.seed ?? 1, start: b.start, end: b.end, workloads: b.workloads, networks: [...NETWORKS], conversations: b.conversations, exporters: exportersWithGap(b.end, b.days),
    scanners, reused,
  };
}
