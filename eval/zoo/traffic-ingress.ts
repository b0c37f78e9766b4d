// Traffic from outside (docs/estate-zoo.md, "The outside"): internet clients of the public web
// tiers, each seen once or on a few days, and a partner's range calling one application's API.
import { cidrRange, intToIp } from './addresses';
import { HOUR, TCP, outsider } from './conversations';
import type { Schedule, ZooNetwork } from './model';
import { deploymentOf, tierOf, type Tier } from './skeleton';
import type { TrafficContext } from './traffic';

const DAY = 24 * HOUR;
// when people visit a shop or a website: evenings more than nights
const VISIT_HOURS: Array<readonly [number, number]> = Array.from({ length: 24 }, (_, h) => [h, h < 6 ? 0.3 : h < 17 ? 1 : 1.6] as const);

function internetClients(ctx: TrafficContext, webs: Tier[]): void {
  const { rng, log, internet } = ctx;
  const days = Math.floor((ctx.end - ctx.start) / DAY);
  const clients = Math.round(300 + 2500 * ctx.scale + rng.int(0, 200));
  for (let i = 0; i < clients; i++) {
    const web = rng.pick(webs);
    const hour = rng.weighted(VISIT_HOURS);
    const dayStart = ctx.start + rng.int(0, days - 1) * DAY;
    const visit = dayStart + hour * HOUR;
    // the load balancer sends a visitor to a server that is there at the time
    const present = web.machines.filter((m) => m.workload.bindings.some((b) => b.from <= visit && (b.to === null || b.to > visit)));
    if (present.length === 0) continue;
    const server = rng.pick(present);
    const addr = internet.addresses.take();
    const once = rng.chance(0.7);
    // a returning visitor comes back at the same hour on a few consecutive days
    const schedule: Schedule = once ? { type: 'once', at: visit / HOUR, hours: 1 } : { type: 'daily', hour, hours: 1 };
    const client = outsider({ type: 'internet' }, addr, visit, once ? visit + HOUR : Math.min(ctx.end, dayStart + rng.int(2, 4) * DAY));
    const perHour = rng.int(1, 3);
    log.link('ingress', client, server, { protocol: TCP, port: 443, schedule, perHour, bytes: 3000 });
    // browsers that typed the name without https are redirected first
    if (rng.chance(0.15) && web.ports.includes(80)) log.link('ingress', client, server, { protocol: TCP, port: 80, schedule, perHour: 1, bytes: 500 });
  }
}

/** A partner calls one application's API from a few addresses of its range. */
function partner(ctx: TrafficContext): ZooNetwork | null {
  const { rng, log, skeleton, internet } = ctx;
  const targets = skeleton.apps.flatMap((team) => {
    const d = team.kind?.partnerApi ? deploymentOf(team, 'prod') : undefined;
    const app = d && tierOf(d, 'app');
    return app ? [app] : [];
  });
  if (targets.length === 0 || !rng.chance(0.5)) return null;
  const network: ZooNetwork = { name: `partner-${rng.pick(['acme', 'globex', 'initech', 'umbrella', 'northwind', 'contoso'])}`, cidr: internet.addresses.block(rng.pick([28, 29])), kind: 'partner', declared: rng.chance(0.5) };
  const target = rng.pick(targets);
  const [base] = cidrRange(network.cidr);
  const members = rng.sample([1, 2, 3, 4, 5, 6], rng.int(2, 4)).map((i) => intToIp(base + i));
  for (const addr of members) {
    const client = outsider({ type: 'network', network: network.name }, addr, ctx.start, ctx.end);
    for (const server of target.machines) log.link('ingress', client, server, { protocol: TCP, port: target.ports[0] ?? 443, schedule: { type: 'continuous', share: 0.3 + 0.3 * rng.float() }, perHour: 1, bytes: 5000 });
  }
  return network;
}

export function ingressTraffic(ctx: TrafficContext): ZooNetwork[] {
  const webs = ctx.skeleton.apps.flatMap((team) => {
    const d = team.kind?.internet ? deploymentOf(team, 'prod') : undefined;
    const web = d && tierOf(d, 'web');
    return web && web.machines.length > 0 ? [web] : [];
  });
  if (webs.length > 0) internetClients(ctx, webs);
  const network = partner(ctx);
  return network ? [network] : [];
}
