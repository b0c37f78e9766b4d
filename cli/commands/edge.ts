// `bulkhead edge CLIENT SERVER [--ports P] [--exclude-core] [--exclude-management] [--json]`:
// what is behind one line of the map, through the reader the map page uses (lib/read/edge.ts):
// the dependencies of the window's analysis between two map nodes, their flows over time and the
// latest raw flow records.
import { addressPort, flowPortLabel } from '../../lib/flow/ports';
import { protocolNumber } from '../../lib/flow/record';
import { edgeDetails } from '../../lib/read/edge';
import { mapIndexOf, sideOf } from '../../lib/read/sides';
import { UserError, type CommandContext } from '../context';
import { table } from '../table';
import { n } from './policy-common';
import { windowAnalysis, windowOption, type WindowOptions } from './read-common';
import { notFound } from '../../lib/errors';
import { DISCOVERY_DAYS } from '../../lib/analysis/window';

export interface EdgeCliOptions extends WindowOptions {
  ports?: string;
  excludeCore?: boolean;
  excludeManagement?: boolean;
  json?: boolean;
}

const USAGE = 'bulkhead edge CLIENT SERVER [--ports tcp/443,...]';
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const second = (iso: string) => iso.slice(0, 19).replace('T', ' ');

export async function run(ctx: CommandContext, opts: EdgeCliOptions, args: string[]) {
  await ctx.authorize('flows:read');
  const [clientSpec, serverSpec] = args;
  if (!clientSpec || !serverSpec || args.length > 2) throw new UserError(USAGE);
  const window = windowOption(opts, DISCOVERY_DAYS);
  const rt = await ctx.runtime();
  const result = await windowAnalysis(ctx, rt, window);
  const ix = mapIndexOf(result);
  const client = sideOf(ix, clientSpec);
  const server = sideOf(ix, serverSpec);
  if (!client) throw notFound(`client: nothing on the map of this window is called "${clientSpec}"`);
  if (!server) throw notFound(`server: nothing on the map of this window is called "${serverSpec}"`);
  const ports = opts.ports ? opts.ports.split(',').map((p) => p.trim()).filter(Boolean) : [];
  const d = await edgeDetails(rt, result, client, server, { ports, excludeCore: opts.excludeCore, excludeManagement: opts.excludeManagement });
  if (opts.json) {
    ctx.io.out(JSON.stringify(d, null, 2));
    return 0;
  }
  const what = `${clientSpec} -> ${serverSpec}${ports.length ? ` on ${ports.join(', ')}` : ''}`;
  const lines = [`${what}, ${minute(d.window.from)} to ${minute(d.window.to)} UTC`];
  if (!d.dependencies) {
    lines.push('No dependency of this window\'s analysis goes this way. The map (bulkhead analyze --level ...) shows what does.');
    ctx.io.out(lines.join('\n'));
    return 0;
  }
  lines.push(`${n(d.dependencies)} ${d.dependencies === 1 ? 'dependency' : 'dependencies'}, ${n(d.totalFlows)} flows`);
  const busy = d.series.filter((p) => p.flows > 0);
  lines.push('', `Flows per ${d.bucket} (${busy.length} with traffic${busy.length > 14 ? ', the latest 14' : ''}):`);
  lines.push(table([[d.bucket.toUpperCase(), 'FLOWS', 'BYTES'], ...busy.slice(-14).map((p) => [d.bucket === 'day' ? p.t.slice(0, 10) : minute(p.t), n(p.flows), n(p.bytes)])]).replace(/^/gm, '  '));
  lines.push('');
  if (d.samples.length) {
    lines.push(`Latest flows (${d.samples.length}):`);
    lines.push(
      table([
        ['START', 'CLIENT', 'SERVER', 'PORT', 'BYTES', 'PACKETS', 'EXPORTER'],
        ...d.samples.map((f) => [second(f.start), addressPort(f.client, protocolNumber(f.protocol) ?? 0, f.clientPort), addressPort(f.server, protocolNumber(f.protocol) ?? 0, f.serverPort), flowPortLabel(protocolNumber(f.protocol) ?? 0, f.serverPort), n(f.bytes), n(f.packets), `${f.exporter} (${f.sourceKind})`]),
      ]).replace(/^/gm, '  '),
    );
  } else {
    lines.push(`No raw flow records left${d.retentionDays ? ` (raw flows are kept ${d.retentionDays} days; the series comes from the hourly rollup)` : ''}.`);
  }
  const windowFlags = opts.from || opts.to ? `${opts.from ? ` --from ${opts.from}` : ''}${opts.to ? ` --to ${opts.to}` : ''}` : ` --days ${window.days}`;
  lines.push('', `Next: bulkhead flows --client ${clientSpec} --server ${serverSpec}${ports.length ? ` --port ${ports.join(',')}` : ''}${windowFlags} (every record, a page at a time)`);
  ctx.io.out(lines.join('\n'));
  return 0;
}
