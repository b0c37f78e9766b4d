// Traffic of business applications (docs/estate-zoo.md, "Applications and their tiers"): inside
// an application (tier to tier, replication inside a tier, batch jobs), between applications of
// one environment (API calls, reads of another application's database), and what applications
// use of the mail relay, the web proxy and internet APIs.
import type { JobSpec } from './catalog';
import { TCP, outsider, spread, type Side } from './conversations';
import type { Schedule } from './model';
import { deploymentOf, tierOf, type Deployment, type Machine, type Team, type Tier } from './skeleton';
import { monthly, nightly, steady, weekly, type TrafficContext } from './traffic';

const all = (a: readonly Side[], b: readonly Side[], each: (x: Side, y: Side) => void) => a.forEach((x) => b.forEach((y) => each(x, y)));

/** the tier through which people and other applications reach an application */
export const frontOf = (d: Deployment): Tier | undefined => tierOf(d, 'web') ?? tierOf(d, 'app');

/** brokers a client connects to: every Kafka broker, one node of the others */
function brokersFor(client: Machine, queue: Tier): Machine[] {
  if (queue.product === 'kafka') return queue.machines;
  const one = queue.machines[spread(client, queue.machines.length)];
  return one ? [one] : [];
}

function insideDeployment(ctx: TrafficContext, d: Deployment): void {
  const { log, rng } = ctx;
  const env = d.env;
  const perHour = env === 'prod' ? 2 : 1;
  const [web, app, worker, db, cache, queue, search, file] = (['web', 'app', 'worker', 'db', 'cache', 'queue', 'search', 'file'] as const).map((r) => tierOf(d, r));
  const port = (t: Tier) => t.ports[0] ?? 0;
  const to = (clients: Tier | undefined, server: Tier | undefined, share: number, servers = server?.machines ?? [], hourly = perHour) => {
    if (!clients || !server) return;
    all(clients.machines, servers, (c, s) => log.link('app', c, s, { protocol: TCP, port: port(server), schedule: steady(env, share), perHour: hourly, bytes: 1800 }));
  };
  to(web, app, 1);
  // writes go to the primary; some applications read from the replicas too
  to(app, db, 1, db?.machines.slice(0, rng.chance(0.5) ? undefined : 1));
  to(app, cache, 0.9);
  to(app, search, 0.8);
  to(app, file, 0.3, undefined, 1);
  for (const clients of [app, worker]) {
    if (!clients || !queue) continue;
    for (const c of clients.machines) for (const b of brokersFor(c, queue)) log.link('app', c, b, { protocol: TCP, port: port(queue), schedule: steady(env, 0.9), perHour: 1, bytes: 900 });
  }
  for (const tier of d.tiers) replicate(ctx, tier);
  const batch = worker ?? app;
  for (const job of d.team.kind?.jobs ?? []) if (batch) runJob(ctx, d, batch, job);
}

/** Replicas follow their primary; clustered brokers and indexes talk all to all. */
function replicate(ctx: TrafficContext, tier: Tier): void {
  const peers = tier.peers;
  if (!peers || tier.machines.length < 2) return;
  const t = { protocol: TCP, port: peers.port, schedule: steady(tier.deployment.env, 1), perHour: 1, bytes: 6000 };
  const [primary, ...replicas] = tier.machines;
  if (peers.among === 'to-primary' && primary) for (const r of replicas) ctx.log.link('app', r, primary, t);
  if (peers.among === 'mesh') all(tier.machines, tier.machines, (a, b) => ctx.log.link('app', a, b, t));
}

function jobSchedule(ctx: TrafficContext, job: JobSpec): Schedule {
  if (job.rhythm === 'nightly') return nightly(ctx.rng);
  if (job.rhythm === 'weekly') return weekly(ctx.rng);
  return monthly(ctx.rng, job.dom);
}

function runJob(ctx: TrafficContext, d: Deployment, batch: Tier, job: JobSpec): void {
  const schedule = jobSchedule(ctx, job);
  const t = (port: number) => ({ protocol: TCP, port, schedule, perHour: 2, bytes: 250_000 });
  if (typeof job.to === 'string') {
    const target = tierOf(d, job.to);
    if (!target) return;
    const port = target.ports[0] ?? 0;
    // a job loads through the primary, or every node of an index or a share
    const servers = job.to === 'db' ? target.machines.slice(0, 1) : target.machines;
    all(batch.machines, servers, (c, s) => ctx.log.link('app', c, s, t(port)));
    return;
  }
  // test copies do not send files to banks and partners
  if (d.env !== 'prod') return;
  const api = ctx.internet.service(job.to.api);
  for (const c of batch.machines) for (const ip of api.addresses) ctx.log.link('egress', c, outsider({ type: 'outside' }, ip, ctx.start, ctx.end), t(api.port));
}

/** Synchronous calls from one application's app tier to another's, in each environment both have. */
function calls(ctx: TrafficContext, caller: Team, callee: Team): void {
  for (const d of caller.deployments) {
    const theirs = deploymentOf(callee, d.env);
    const from = tierOf(d, 'app');
    const to = theirs && tierOf(theirs, 'app');
    if (!from || !to) continue;
    all(from.machines, to.machines, (c, s) => ctx.log.link('cross-app', c, s, { protocol: TCP, port: to.ports[0] ?? 0, schedule: steady(d.env, 0.7), perHour: 1, bytes: 1500 }));
  }
}

/** Reporting and ETL reading another application's database (a replica when there is one). */
function reads(ctx: TrafficContext, reader: Team, source: Team, rhythm: 'nightly' | 'weekly'): void {
  for (const d of reader.deployments) {
    const theirs = deploymentOf(source, d.env);
    const clients = tierOf(d, 'worker') ?? tierOf(d, 'app');
    const db = theirs && tierOf(theirs, 'db');
    const server = db?.machines[db.machines.length > 1 ? 1 : 0];
    if (!clients || !db || !server) continue;
    const schedule = rhythm === 'nightly' ? nightly(ctx.rng) : weekly(ctx.rng);
    for (const c of clients.machines) ctx.log.link('cross-app', c, server, { protocol: TCP, port: db.ports[0] ?? 0, schedule, perHour: 2, bytes: 400_000 });
  }
}

/** What an application uses outside itself: internet APIs, the mail relay, the proxy. */
function outward(ctx: TrafficContext, team: Team): void {
  const { rng, log, skeleton, practices } = ctx;
  const kind = team.kind;
  if (!kind) return;
  const apis = kind.egress.filter(() => rng.chance(0.7)).map((name) => ctx.internet.service(name));
  const proxies = skeleton.core.proxy.machines;
  const relays = skeleton.core.relay.machines;
  for (const d of team.deployments) {
    const app = tierOf(d, 'app');
    const worker = tierOf(d, 'worker');
    for (const m of app?.machines ?? []) {
      for (const api of apis) for (const ip of api.addresses) log.link('egress', m, outsider({ type: 'outside' }, ip, ctx.start, ctx.end), { protocol: TCP, port: api.port, schedule: steady(d.env, 0.5), perHour: 1, bytes: 1200 });
      const relay = relays[spread(m, relays.length)];
      if (kind.mail && relay) log.link('core', m, relay, { protocol: TCP, port: 25, schedule: steady(d.env, 0.25), perHour: 1, bytes: 20_000 });
    }
    if (!kind.proxy) continue;
    for (const m of worker?.machines ?? []) {
      const proxy = proxies[spread(m, proxies.length)];
      if (!proxy) continue;
      log.link('core', m, proxy, { protocol: TCP, port: practices.proxyPort, schedule: steady(d.env, 0.3), perHour: 1, bytes: 3000 });
      for (const api of apis) for (const ip of api.addresses) log.link('egress', proxy, outsider({ type: 'outside' }, ip, ctx.start, ctx.end), { protocol: TCP, port: api.port, schedule: steady('prod', 0.4), perHour: 1, bytes: 3000 });
    }
  }
}

export function applicationTraffic(ctx: TrafficContext): void {
  const { rng, skeleton } = ctx;
  const apps = skeleton.apps;
  for (const team of apps) for (const d of team.deployments) insideDeployment(ctx, d);
  for (const team of apps) {
    const kind = team.kind;
    if (!kind) continue;
    // about a third of applications call one to three others, those of the kinds they depend on
    const callees = apps.filter((a) => a !== team && kind.calls.includes(a.kind?.kind ?? ''));
    if (callees.length > 0 && rng.chance(0.5)) for (const callee of rng.sample(callees, rng.int(1, 3))) calls(ctx, team, callee);
    if (kind.reads) {
      const sources = apps.filter((a) => a !== team && a.deployments.some((d) => tierOf(d, 'db')));
      for (const source of rng.sample(sources, rng.int(...kind.reads.count))) reads(ctx, team, source, rng.chance(0.3) ? 'weekly' : kind.reads.rhythm);
    }
    outward(ctx, team);
  }
}
