// `bulkhead networks list | add NAME CIDR... [--kind K] [--replace] | remove NAME
//                   | accept NAME [--as NEW] [--cidr CIDR] [--kind K]
//                   | lookup ADDRESS [--at TIME] | dns [--since 7d] [--limit N] [--server IP]`
// Named networks group the addresses no inventory names (user subnets, partners, the internet);
// discovery suggests networks of unknown clients that a person accepts, renames or narrows;
// lookup answers "who was this address then"; dns names unknown busy addresses by reverse DNS.
import { canonicalAddress } from '../../lib/identity/address';
import { dnsCandidates, reverseResolve, storeAnswers, systemReverseLookup } from '../../lib/identity/dns';
import { acceptNetworkSuggestion, loadNamedNetworks, loadNetworkSuggestions, removeNamedNetwork, saveNamedNetwork } from '../../lib/identity/networks';
import { resolveAddress } from '../../lib/identity/resolve';
import { UserError, type CommandContext } from '../context';
import { parseSince } from './import';

export interface NetworksOptions {
  kind?: string;
  as?: string;
  cidr?: string;
  replace?: boolean;
  at?: string;
  json?: boolean;
  since?: string;
  limit?: string;
  server?: string[] | string;
  concurrency?: string;
}

export async function run(ctx: CommandContext, opts: NetworksOptions, args: string[]) {
  const [action = 'list', ...rest] = args;
  const rt = await ctx.runtime();
  const db = rt.db.prisma;
  switch (action) {
    case 'list': {
      const nets = await loadNamedNetworks(db);
      const suggested = await loadNetworkSuggestions(db);
      if (opts.json) return void ctx.io.out(JSON.stringify(nets.map((n) => ({ ...n, suggested: false })).concat(suggested.map((n) => ({ name: n.name, kind: 'user', cidrs: [n.cidr], suggested: true, addresses: n.addresses, reaches: n.reaches, confidence: n.confidence } as never))), null, 2));
      if (!nets.length && !suggested.length) {
        ctx.io.out('No named networks yet. Unknown addresses are grouped as "private (unnamed)" or "internet".\nNext: bulkhead networks add "Office users" 10.20.0.0/16 --kind user');
        return 0;
      }
      const w = Math.max(...nets.map((n) => n.name.length), ...suggested.map((n) => n.name.length), 4);
      if (nets.length) {
        ctx.io.out(`${'name'.padEnd(w)}  ${'kind'.padEnd(10)}  cidrs`);
        for (const n of nets) ctx.io.out(`${n.name.padEnd(w)}  ${n.kind.padEnd(10)}  ${n.cidrs.join(' ')}`);
      }
      if (suggested.length) {
        ctx.io.out(`${nets.length ? '\n' : ''}Suggested by discovery (unknown clients that sit together and behave alike; not used until accepted):`);
        for (const n of suggested) ctx.io.out(`${n.name.padEnd(w)}  ${n.cidr.padEnd(18)}  ${n.addresses.length} addresses seen, confidence ${n.confidence.toFixed(2)}; reach ${n.reaches.slice(0, 3).join(', ')}`);
        ctx.io.out('Accept one with `bulkhead networks accept NAME [--as NEW] [--cidr NARROWER]`; proposals already use them.');
      }
      return 0;
    }
    case 'accept': {
      await ctx.authorize('inventory:write');
      const [name] = rest;
      if (!name) throw new UserError('bulkhead networks accept NAME [--as NEW] [--cidr CIDR] [--kind K]');
      const { before, after } = await acceptNetworkSuggestion(db, rt.store, name, { as: opts.as, cidr: opts.cidr, kind: opts.kind });
      await ctx.audit({ action: 'network.change', target: { type: 'network', id: after.id }, summary: `accepted suggested network ${name} as ${after.name} (${after.kind}): ${after.cidrs}`, before: before ?? undefined, after });
      ctx.io.out(`Accepted ${name}${after.name !== name ? ` as ${after.name}` : ''}: ${after.cidrs}. Its addresses are grouped as ${after.name} from now on.`);
      return 0;
    }
    case 'add': {
      await ctx.authorize('inventory:write');
      const [name, ...cidrs] = rest;
      if (!name || !cidrs.length) throw new UserError('bulkhead networks add NAME CIDR... [--kind user|internet|partner|datacenter|cloud|other]');
      const { before, after, ranges } = await saveNamedNetwork(db, rt.store, { name, kind: opts.kind, cidrs }, { replace: opts.replace });
      await ctx.audit({ action: 'network.change', target: { type: 'network', id: after.id }, summary: `${before ? 'changed' : 'added'} named network ${after.name} (${after.kind}): ${after.cidrs}`, before: before ?? undefined, after });
      ctx.io.out(`${before ? 'Changed' : 'Added'} ${after.name} (${after.kind}): ${after.cidrs}\n${ranges} ranges in ClickHouse (with the built-in classes).`);
      return 0;
    }
    case 'remove': {
      await ctx.authorize('inventory:write');
      const [name] = rest;
      if (!name) throw new UserError('bulkhead networks remove NAME');
      const gone = await removeNamedNetwork(db, rt.store, name);
      if (!gone) throw new UserError(`no named network "${name}" (bulkhead networks list)`);
      await ctx.audit({ action: 'network.change', target: { type: 'network', id: gone.id }, summary: `removed named network ${name}`, before: gone });
      ctx.io.out(`Removed ${name}.`);
      return 0;
    }
    case 'lookup': {
      const [addr] = rest;
      if (!addr || !canonicalAddress(addr)) throw new UserError('bulkhead networks lookup ADDRESS [--at TIME]');
      const at = opts.at ? new Date(opts.at) : new Date();
      if (!Number.isFinite(at.getTime())) throw new UserError(`--at: "${opts.at}" is not a time`);
      const r = await resolveAddress(db, rt.store, addr, at);
      if (opts.json) return void ctx.io.out(JSON.stringify(r, null, 2));
      const L: string[] = [];
      if (r.type === 'workload') L.push(`${r.addr} at ${at.toISOString()}: workload ${r.workloadName} (held ${r.validFrom.toISOString()} .. ${r.validTo ? r.validTo.toISOString() : 'now'})`);
      else L.push(`${r.addr} at ${at.toISOString()}: no workload; network ${r.network} (${r.networkKind}, ${r.cidr}${r.builtin ? ', built-in' : ''})${r.dnsName ? `; reverse DNS ${r.dnsName}` : ''}`);
      if (r.history.length) {
        L.push('history:');
        for (const h of r.history) L.push(`  ${h.validFrom.toISOString()} .. ${h.validTo ? h.validTo.toISOString() : 'now'}  ${h.workloadName}`);
      }
      ctx.io.out(L.join('\n'));
      return 0;
    }
    case 'dns': {
      await ctx.authorize('inventory:write');
      const since = parseSince(opts.since);
      const limit = opts.limit ? Number(opts.limit) : 500;
      if (!Number.isInteger(limit) || limit <= 0) throw new UserError('--limit: how many addresses to look up (> 0)');
      const candidates = await dnsCandidates(rt.store, { since, limit });
      if (!candidates.length) {
        ctx.io.out(`No unknown addresses to look up since ${since.toISOString()} (every address is a workload, or was looked up in the last 7 days).`);
        return 0;
      }
      const servers = opts.server === undefined ? undefined : Array.isArray(opts.server) ? opts.server : [opts.server];
      const bar = ctx.io.progress('reverse DNS', candidates.length, 'addresses');
      const answers = await reverseResolve(
        candidates.map((c) => c.addr),
        systemReverseLookup({ servers }),
        { concurrency: opts.concurrency ? Number(opts.concurrency) : 16, onDone: (n) => bar.update(n), signal: ctx.signal },
      );
      bar.stop();
      await storeAnswers(rt.store, answers);
      const ok = answers.filter((a) => a.status === 'ok');
      const counts = answers.reduce<Record<string, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {});
      ctx.io.out(`Looked up ${answers.length} unknown addresses: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}.`);
      for (const a of ok.slice(0, 20)) ctx.io.out(`  ${a.addr.padEnd(39)} ${a.name}`);
      ctx.io.out('Names show on unknown endpoints in the map and in `bulkhead networks lookup`.');
      return 0;
    }
    default:
      throw new UserError(`bulkhead networks: unknown action "${action}"; use list, add, remove, accept, lookup or dns`);
  }
}
