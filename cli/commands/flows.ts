// `bulkhead flows [--client X] [--server Y] [--endpoint Z] [--port P] [--protocol P] [--limit N]
// [--before TIME] [--json]`: the flows explorer of the flows page, through the same reader
// (lib/read/flows.ts): raw flow records of a window, newest first, a page at a time.
import { addressPort, flowPortLabel } from '../../lib/flow/ports';
import { protocolNumber } from '../../lib/flow/record';
import { readFlows } from '../../lib/read/flows';
import type { CommandContext } from '../context';
import { table } from '../table';
import { n, numberOption, timeOption } from './policy-common';
import { windowOption, type WindowOptions } from './read-common';
import { FLOW_RECORDS_DAYS } from '../../lib/analysis/window';

export interface FlowsCliOptions extends WindowOptions {
  client?: string;
  server?: string;
  endpoint?: string;
  port?: string;
  protocol?: string;
  limit?: string;
  before?: string;
  json?: boolean;
}

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const second = (iso: string) => iso.slice(0, 19).replace('T', ' ');

export async function run(ctx: CommandContext, opts: FlowsCliOptions) {
  await ctx.authorize('flows:read');
  const window = windowOption(opts, FLOW_RECORDS_DAYS);
  const limit = numberOption(opts.limit, '--limit', { min: 1, max: 1000, integer: true }) ?? 50;
  const before = timeOption(opts.before, '--before')?.toISOString() ?? null;
  const rt = await ctx.runtime();
  const page = await readFlows(rt, { window, client: opts.client, server: opts.server, endpoint: opts.endpoint, port: opts.port, protocol: opts.protocol, limit, before });
  if (opts.json) {
    ctx.io.out(JSON.stringify(page, null, 2));
    return 0;
  }
  const lines = [`${n(page.total)} flows from ${minute(page.window.from)} to ${minute(page.window.to)} UTC${before ? `, before ${second(before)}` : ''}${page.rows.length ? `; the ${page.rows.length} newest:` : '.'}`];
  if (page.rows.length) {
    const side = (addr: string, protocol: number, port: number, workload: string | null) => `${addressPort(addr, protocol, port)}${workload ? ` (${workload})` : ''}`;
    lines.push(
      table([
        ['START', 'CLIENT', 'SERVER', 'PORT', 'BYTES C>S', 'BYTES S>C', 'PACKETS', 'EXPORTER'],
        ...page.rows.map((r) => [
          second(r.start),
          side(r.client, protocolNumber(r.protocol) ?? 0, r.clientPort, r.clientWorkload),
          side(r.server, protocolNumber(r.protocol) ?? 0, r.serverPort, r.serverWorkload),
          flowPortLabel(protocolNumber(r.protocol) ?? 0, r.serverPort),
          n(r.bytesToServer),
          n(r.bytesToClient),
          n(r.packets),
          `${r.exporter} (${r.sourceKind})`,
        ]),
      ]),
    );
  }
  if (page.rows.length === limit) lines.push('', `Next page: the same command with --before ${page.rows.at(-1)!.start}`);
  ctx.io.out(lines.join('\n'));
  return 0;
}
