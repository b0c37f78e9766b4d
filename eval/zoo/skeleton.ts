// The estate while it is being generated: teams (business applications and shared services),
// their deployments per environment, tiers and machines, before any traffic. The generator's
// parts (./machines.ts, ./lifecycle.ts, ./names.ts, ./labels.ts, ./traffic-*.ts) read and fill it;
// ./estate.ts turns it into the ZooEstate of the contract (./model.ts).
import type { AppKind, Os, ProductName, Product } from './catalog';
import type { TruthKind, ZooWorkload } from './model';

export type Env = 'prod' | 'staging' | 'dev' | 'shared';
export const APP_ENVS = ['prod', 'staging', 'dev'] as const;

export interface Machine {
  workload: ZooWorkload;
  tier: Tier;
  /** TCP ports the machine answers on (its tier's, its agents', its operating system's) */
  serves: Set<number>;
  /** its host firewall drops probes of ports it does not serve (otherwise the stack resets them) */
  dropsUnserved: boolean;
  /** gets the ordinary care of a server: backup, patching, configuration management, admin sessions */
  managed: boolean;
}

export interface Tier {
  deployment: Deployment;
  /** web, app, db, ... for applications; the service's role for shared services */
  role: string;
  os: Os;
  /** the product (applications) */
  product: ProductName | null;
  /** TCP ports clients use; the first is the main one */
  ports: number[];
  peers: Product['peers'] | null;
  machines: Machine[];
}

export interface Deployment {
  team: Team;
  env: Env;
  tiers: Tier[];
}

/** A business application (with a catalog kind) or a shared service (kind null), run by one team. */
export interface Team {
  name: string;
  kind: AppKind | null;
  truthKind: TruthKind;
  deployments: Deployment[];
}

export const tierOf = (d: Deployment, role: string): Tier | undefined => d.tiers.find((t) => t.role === role);
export const deploymentOf = (team: Team, env: Env): Deployment | undefined => team.deployments.find((d) => d.env === env);
export const machinesOf = (team: Team): Machine[] => team.deployments.flatMap((d) => d.tiers.flatMap((t) => t.machines));
