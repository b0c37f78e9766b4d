// `bulkhead decode FILE...`: the flow records in packet captures, one normalized record per line
// as JSON on stdout, a summary on stderr. Needs no store. Files are read in order with one
// template state, so a capture holding the templates goes first.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CaptureDecoder, summaryLines } from '../../collectors/capture';
import { recordJson } from '../../collectors/normalize';
import { CaptureError } from '../../collectors/pcap';
import { UserError, type CommandContext } from '../context';

interface DecodeOptions {
  port?: string;
  limit?: string;
  summary?: boolean;
}

export function parsePorts(value: string | undefined, flag = '--port'): number[] | undefined {
  if (!value) return undefined;
  const ports = value.split(',').map((s) => Number(s.trim()));
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new UserError(`${flag}: "${value}" is not a comma-separated list of UDP ports`);
  return ports;
}

export async function run(ctx: CommandContext, opts: DecodeOptions, args: string[]) {
  const files = args.map((f) => resolve(ctx.cwd, f));
  for (const f of files) if (!existsSync(f)) throw new UserError(`${f}: no such file`);
  const ports = parsePorts(opts.port);
  const limit = opts.limit !== undefined ? Number(opts.limit) : Number.POSITIVE_INFINITY;
  if (!(limit > 0)) throw new UserError(`--limit: "${opts.limit}" is not a positive number`);
  const dec = new CaptureDecoder();
  let printed = 0;
  try {
    for (const file of files) {
      if (printed >= limit || ctx.signal.aborted) break;
      await dec.readFile(
        file,
        (records) => {
          let text = '';
          for (const r of records) {
            if (printed >= limit) break;
            text += `${recordJson(r)}\n`;
            printed++;
          }
          if (text) ctx.io.out(text);
        },
        { ports, signal: ctx.signal },
      );
    }
  } catch (e) {
    if (e instanceof CaptureError) throw new UserError(e.message);
    throw e;
  }
  const summary = dec.finish();
  if (opts.summary !== false) for (const line of summaryLines(summary)) ctx.io.err(line);
  if (summary.records === 0) ctx.io.err('No flow records found. Is this a capture of NetFlow/IPFIX/sFlow export traffic? (--port selects the UDP ports to read)');
  else ctx.io.err('Next: `bulkhead ingest pcap FILE...` stores these records in Bulkhead.');
  return 0;
}
