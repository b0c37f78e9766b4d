// `bulkhead collect`: the UDP flow collectors alone, without the web app (a collector host, a
// benchmark, a quick look at what an exporter sends). Opens and holds the stores itself like
// serve. Prints its listeners, a status line now and then, and on Ctrl-C (or after --duration)
// stops listening, stores what is buffered, and prints the per-exporter summary.
import { startCollectors, statusLine, type Collectors } from '../../collectors';
import { EXTRAS_POLICIES, type ExtrasPolicy } from '../../collectors/normalize';
import type { CollectorStatus } from '../../lib/flow/collector-status';
import { timeWindowOf } from '../../lib/store/admission';
import { FlowSink } from '../../lib/store/sink';
import { UserError, type CommandContext } from '../context';

interface CollectOptions {
  listen?: string;
  netflowPort?: string;
  ipfixPort?: string;
  sflowPort?: string;
  allow?: string;
  receiveBuffer?: string;
  status?: string;
  duration?: string;
  json?: boolean;
  extras?: string;
  batch?: string;
}

function port(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`${flag}: "${value}" is not a port number (0 turns the listener off)`);
  return n;
}

function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${flag}: "${value}" is not a number of seconds`);
  return n;
}

export async function run(ctx: CommandContext, opts: CollectOptions) {
  const { io } = ctx;
  const base = ctx.config.collect;
  const collect = {
    ...base,
    listen: opts.listen ?? base.listen,
    netflowPort: port(opts.netflowPort, '--netflow-port', base.netflowPort),
    ipfixPort: port(opts.ipfixPort, '--ipfix-port', base.ipfixPort),
    sflowPort: port(opts.sflowPort, '--sflow-port', base.sflowPort),
    allow: opts.allow !== undefined ? opts.allow.split(',').map((s) => s.trim()).filter(Boolean) : base.allow,
    receiveBufferBytes: opts.receiveBuffer !== undefined ? Math.round(Number(opts.receiveBuffer) * 2 ** 20) : base.receiveBufferBytes,
  };
  if (!(collect.receiveBufferBytes >= 65536)) throw new UserError(`--receive-buffer: "${opts.receiveBuffer}" MiB is not a buffer size (at least 0.0625)`);
  if (!collect.netflowPort && !collect.ipfixPort && !collect.sflowPort) throw new UserError('every listener is turned off (all ports 0): nothing to collect');
  const { CidrSet } = await import('../../lib/flow/cidr');
  try {
    new CidrSet(collect.allow);
  } catch (e) {
    throw new UserError(`--allow: ${(e as Error).message} (examples: 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)`);
  }
  const extras = (opts.extras ?? 'identity') as ExtrasPolicy;
  if (!EXTRAS_POLICIES.includes(extras)) throw new UserError(`--extras: "${opts.extras}" is not one of ${EXTRAS_POLICIES.join(', ')}`);
  const batch = opts.batch !== undefined ? Number(opts.batch) : 50_000;
  if (!Number.isInteger(batch) || batch < 1000) throw new UserError(`--batch: "${opts.batch}" is not a number of records (at least 1000)`);
  const statusEvery = seconds(opts.status, '--status', 10);
  const duration = seconds(opts.duration, '--duration', 0);

  const stopping = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => stopping.abort(sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  ctx.signal.addEventListener('abort', () => stopping.abort('abort'));

  const rt = await ctx.runtime();
  const config = { ...ctx.config, collect };
  // A sink of its own, sized for a collector: smaller batches and a lower drop mark keep memory
  // bounded when the store falls behind (see docs/collectors.md).
  const sink = new FlowSink(rt.store, {
    timeWindow: timeWindowOf(config.admission),
    maxBatch: batch,
    dropAbove: batch * 3,
    onError: (err, n) => rt.log.warn({ err: err.message.split('\n')[0], records: n }, 'flow insert failed; retrying'),
  });
  let collectors: Collectors;
  try {
    collectors = await startCollectors(config, sink, rt.log, { extras, history: rt.store });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  rt.collectors = collectors;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  for (const l of collectors.listeners) {
    const capped = l.receiveBufferBytes < collect.receiveBufferBytes ? `; asked for ${mib(collect.receiveBufferBytes)}, the kernel's net.core.rmem_max caps it` : '';
    io.err(`listening    ${l.kind.padEnd(8)} udp ${l.address}:${l.port} (receive buffer ${mib(l.receiveBufferBytes)}${capped})`);
  }
  if (collect.allow.length) io.err(`exporters    only from ${collect.allow.join(', ')}`);
  io.err(`Collecting into ${ctx.config.clickhouse.mode === 'embedded' ? `embedded chDB in ${ctx.config.clickhouse.dataDir}` : ctx.config.clickhouse.url}${duration ? ` for ${duration} s` : ''} (Ctrl-C stops and stores what is buffered).`);

  let prev: CollectorStatus | null = null;
  let prevAt = Date.now();
  const timer = statusEvery > 0
    ? setInterval(() => {
        const now = collectors.status();
        io.err(statusLine(now, prev, (Date.now() - prevAt) / 1000));
        prev = now;
        prevAt = Date.now();
      }, statusEvery * 1000)
    : null;
  const stopTimer = duration > 0 ? setTimeout(() => stopping.abort('duration'), duration * 1000) : null;
  await new Promise<void>((resolve) => (stopping.signal.aborted ? resolve() : stopping.signal.addEventListener('abort', () => resolve())));
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (timer) clearInterval(timer);
  if (stopTimer) clearTimeout(stopTimer);

  io.err(stopping.signal.reason === 'duration' ? 'duration reached: stopping' : `${String(stopping.signal.reason)}: stopping (storing buffered flows)...`);
  await collectors.close();
  await sink.close();
  const final = collectors.status();
  rt.collectors = undefined;
  const stored = sink.stats();
  if (opts.json) io.out(JSON.stringify({ ...final, sink: stored }, null, 2));
  io.err(statusLine(final, null, 0));
  for (const e of final.exporters) {
    const lost = e.lost ? `, ${e.lost} ${e.lostUnit} lost per sequence numbers` : '';
    io.err(`exporter ${e.exporter} ${e.version}: ${e.datagrams} datagrams, ${e.records} records, ${e.templates} templates${e.templatesEvicted ? ` (${e.templatesEvicted} evicted)` : ''}, ${e.decodeErrors} decode errors${lost}, ${e.droppedRecords} dropped by us, ${e.quarantined} quarantined for their times${e.lastError ? `; last error: ${e.lastError}` : ''}`);
  }
  for (const [addr, n] of Object.entries(final.refused)) io.err(`refused      ${n} datagrams from ${addr} (not in the allow-list)`);
  io.err(`stored       ${stored.inserted.toLocaleString('en-US')} records (${stored.rejected} refused by validation, ${stored.dropped} dropped while the store was behind)`);
  if (!final.exporters.length) io.err('No exporter sent anything. Point exporters at this host on the ports above (softflowd -n HOST:2055, an IPFIX target HOST:4739, sFlow HOST:6343).');
  return 0;
}
