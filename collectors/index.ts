// The flow collectors of a serve/collect process: one UDP listener per protocol port, each
// datagram decoded (collectors/flowdecode), normalized with its client/server orientation
// (collectors/normalize.ts) and handed to the flow sink. Any port takes any of the four
// protocols: the version is read from the datagram, the port only sets the default.
//
// A datagram is never allowed to stop a listener: the decoder reports errors instead of
// throwing, and the handler catches anything else and counts it for the exporter.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Config } from '../lib/config';
import type { CollectorStatus, CollectorStatusSource, ExporterStatus, ListenerStatus } from '../lib/flow/collector-status';
import type { FlowRecord } from '../lib/flow/record';
import type { Logger } from '../lib/log';
import type { Store } from '../lib/store';
import type { FlowSink } from '../lib/store/sink';
import { AddressFilter } from './address-filter';
import { ExporterTable } from './exporter-stats';
import { decode, DecoderState, type DecoderOptions } from './flowdecode';
import { decoderExtras, FlowNormalizer, type ExtrasPolicy } from './normalize';

export type ListenerKind = 'netflow' | 'ipfix' | 'sflow';

export interface ListenerInfo {
  kind: ListenerKind;
  address: string;
  port: number;
  receiveBufferBytes: number;
}

export interface CollectorOptions {
  /** decoder limits (template buffering, session expiry) */
  decoder?: DecoderOptions;
  /** how often to expire waiting data and idle sessions (default 1 s) */
  housekeepingMs?: number;
  /** bind every enabled listener to an ephemeral port instead of its configured one (tests, benchmarks) */
  ephemeralPorts?: boolean;
  /** which decoded extras are stored (default identity: see collectors/normalize.ts) */
  extras?: ExtrasPolicy;
  /** where per-exporter statistics are written every historyMs (the exporter_stats table); none: not kept */
  history?: Store;
  /** interval of the statistics history (default 60 s) */
  historyMs?: number;
}

export interface Collectors extends CollectorStatusSource {
  listeners: ListenerInfo[];
  exporters(): ExporterStatus[];
  /** datagrams refused by the allow-list, by source address */
  refused(): Record<string, number>;
  status(): CollectorStatus;
  close(): Promise<void>;
}

/** Kernel counters of a UDP socket by local port, from /proc/net/udp{,6} (Linux). */
export function kernelSocketCounters(port: number): { drops: number; rxQueue: number } | null {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const cols = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
      if (cols.length < 13 || !(cols[1]! + ' ').endsWith(portHex)) continue;
      const rx = parseInt(cols[4]!.split(':')[1] ?? '0', 16);
      return { drops: Number(cols[12]), rxQueue: rx };
    }
  }
  return null;
}

export async function startCollectors(config: Config, sink: FlowSink, log: Logger, options: CollectorOptions = {}): Promise<Collectors> {
  const filter = new AddressFilter(config.collect.allow);
  const state = new DecoderState({ extras: decoderExtras(options.extras ?? 'identity'), ...(config.collect.maxTemplates ? { maxTemplates: config.collect.maxTemplates } : {}), ...options.decoder });
  const normalizer = new FlowNormalizer(undefined, options.extras ?? 'identity');
  const table = new ExporterTable();
  table.onNew = (exporter, version) => log.info({ exporter, version }, 'new exporter');
  const refused: Record<string, number> = {};
  const sockets: Socket[] = [];
  const listeners: ListenerInfo[] = [];
  const received = new Map<Socket, number>();
  const startedAt = new Date().toISOString();
  // Decode errors are logged at most once a minute per exporter; the counters keep the rest.
  const lastLogged = new Map<string, number>();
  const ports: Array<[ListenerKind, number]> = [
    ['netflow', config.collect.netflowPort],
    ['ipfix', config.collect.ipfixPort],
    ['sflow', config.collect.sflowPort],
  ];

  const handle = (socket: Socket, msg: Buffer, from: RemoteInfo) => {
    received.set(socket, (received.get(socket) ?? 0) + 1);
    if (!filter.allows(from.address)) {
      refused[from.address] = (refused[from.address] ?? 0) + 1;
      return;
    }
    const now = Date.now();
    let entry: ExporterStatus | null = null;
    try {
      const r = decode(msg, { address: from.address, port: from.port, receivedAt: now }, state);
      entry = table.observe(from.address, msg.length, r, now);
      if (r.errors.length) {
        const t = lastLogged.get(from.address) ?? 0;
        if (now - t > 60_000) {
          lastLogged.set(from.address, now);
          log.warn({ exporter: from.address, errors: r.errors.length, first: r.errors[0]!.message }, 'flow datagram with errors (counted; the next ones are not logged for a minute)');
        }
      }
      if (r.records.length && sink.dropping) {
        // The store is behind: count the loss without preparing records that would be dropped.
        table.dropped(entry, r.records.length);
        sink.countDropped(r.records.length);
      } else if (r.records.length) {
        const records: FlowRecord[] = new Array(r.records.length);
        for (let i = 0; i < r.records.length; i++) records[i] = normalizer.toRecord(r.records[i]!);
        const { taken, quarantined } = sink.writeOrDrop(records);
        if (taken < records.length) table.dropped(entry, records.length - taken);
        if (quarantined) table.quarantined(entry, quarantined);
      }
    } catch (e) {
      // Not a decoder error (those are reported, not thrown): count it against the exporter and go on.
      if (entry) {
        entry.decodeErrors++;
        entry.lastError = `internal: ${(e as Error).message}`;
      }
      log.error({ exporter: from.address, err: (e as Error).message }, 'flow datagram handling failed');
    }
  };

  try {
    for (const [kind, port] of ports) {
      if (!port) continue;
      const type = config.collect.listen.includes(':') ? 'udp6' : 'udp4';
      const socket = createSocket({ type, reuseAddr: false, recvBufferSize: config.collect.receiveBufferBytes });
      socket.on('message', (msg, from) => handle(socket, msg, from));
      socket.on('error', (err) => log.error({ kind, err: err.message }, 'listener error'));
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(options.ephemeralPorts ? 0 : port, config.collect.listen, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      sockets.push(socket);
      const addr = socket.address();
      listeners.push({ kind, address: addr.address, port: addr.port, receiveBufferBytes: socket.getRecvBufferSize() });
    }
  } catch (e) {
    sockets.forEach((s) => s.close());
    const err = e as NodeJS.ErrnoException;
    throw new Error(`cannot listen for flows: ${err.message}${err.code === 'EADDRINUSE' ? ' (another collector runs on that port; change it with BULKHEAD_*_PORT or --no-collect)' : ''}`);
  }

  // Statistics history: counter deltas per exporter since the last row, written to ClickHouse.
  const collectorId = `${hostname()}:${process.pid}`;
  let written = new Map<string, ExporterStatus>();
  const writeHistory = async () => {
    if (!options.history) return;
    const now = table.snapshot(state);
    const rows: Array<Record<string, unknown>> = [];
    const time = Math.floor(Date.now() / 1000);
    for (const e of now) {
      const p = written.get(`${e.exporter}|${e.version}`);
      const d = (k: keyof ExporterStatus) => (e[k] as number) - ((p?.[k] as number | undefined) ?? 0);
      if (d('datagrams') === 0 && d('noTemplateDrops') === 0) continue;
      rows.push({
        time, collector: collectorId, exporter: e.exporter, version: e.version, datagrams: d('datagrams'), bytes: d('bytes'), records: d('records'),
        templates: d('templates'), options: d('options'), counter_samples: d('counterSamples'), decode_errors: d('decodeErrors'),
        no_template: d('noTemplateDrops'), sequence_gaps: d('sequenceGaps'), lost: d('lost'), lost_unit: e.lostUnit, sequence_resets: d('sequenceResets'),
        dropped: d('droppedRecords'), quarantined: d('quarantined'), last_error: d('decodeErrors') > 0 ? (e.lastError ?? '') : '',
      });
    }
    written = new Map(now.map((e) => [`${e.exporter}|${e.version}`, e]));
    if (!rows.length) return;
    try {
      await options.history.client.insert({ table: options.history.t('exporter_stats'), values: rows, format: 'JSONEachRow' });
    } catch (e) {
      log.warn({ err: (e as Error).message.split('\n')[0] }, 'exporter statistics not written');
    }
  };
  const historyTimer = options.history ? setInterval(() => void writeHistory(), options.historyMs ?? 60_000) : null;
  historyTimer?.unref();

  // Housekeeping: data that waited too long for its template is dropped and counted.
  const timer = setInterval(() => {
    const rep = state.expire(Date.now());
    if (rep.droppedNoTemplate.size) table.expired(rep.droppedNoTemplate, Date.now());
  }, options.housekeepingMs ?? 1000);
  timer.unref();

  // The kernel's counters vanish with the socket: the last reading is kept for the final status.
  const lastKernel: Array<{ drops: number; rxQueue: number } | null> = listeners.map(() => null);
  let socketsOpen = true;
  const listenerStatus = (): ListenerStatus[] =>
    listeners.map((l, i) => {
      const k = socketsOpen ? kernelSocketCounters(l.port) : lastKernel[i]!;
      if (socketsOpen) lastKernel[i] = k;
      return { ...l, datagrams: received.get(sockets[i]!) ?? 0, kernelDrops: k?.drops ?? null, receiveQueueBytes: k?.rxQueue ?? null };
    });
  const status = (): CollectorStatus => ({ startedAt, listeners: listenerStatus(), exporters: table.snapshot(state), refused: { ...refused } });

  let closed: Promise<void> | null = null;
  return {
    listeners,
    exporters: () => table.snapshot(state),
    refused: () => ({ ...refused }),
    status,
    close() {
      closed ??= (async () => {
        clearInterval(timer);
        listenerStatus();
        socketsOpen = false;
        await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
        // What still waits for a template now never gets one: count it as dropped.
        const rep = state.expire(Number.POSITIVE_INFINITY);
        if (rep.droppedNoTemplate.size) table.expired(rep.droppedNoTemplate, Date.now());
        if (historyTimer) clearInterval(historyTimer);
        await writeHistory();
      })();
      return closed;
    },
  };
}

/** One line for people watching a collector: rates since the previous line and the totals. */
export function statusLine(now: CollectorStatus, prev: CollectorStatus | null, seconds: number): string {
  const sum = (s: CollectorStatus | null, f: (e: ExporterStatus) => number) => (s ? s.exporters.reduce((a, e) => a + f(e), 0) : 0);
  const records = sum(now, (e) => e.records);
  const datagrams = sum(now, (e) => e.datagrams);
  const rate = seconds > 0 ? Math.round((records - sum(prev, (e) => e.records)) / seconds) : 0;
  const errors = sum(now, (e) => e.decodeErrors);
  const lost = sum(now, (e) => e.lost);
  const dropped = sum(now, (e) => e.droppedRecords);
  const quarantined = sum(now, (e) => e.quarantined);
  const noTemplate = sum(now, (e) => e.noTemplateDrops);
  const kernel = now.listeners.reduce<number | null>((a, l) => (l.kernelDrops === null ? a : (a ?? 0) + l.kernelDrops), null);
  const exporters = new Set(now.exporters.map((e) => e.exporter)).size;
  const fmt = (n: number) => n.toLocaleString('en-US');
  return (
    `flows ${fmt(rate)}/s | exporters ${exporters} | datagrams ${fmt(datagrams)} | records ${fmt(records)} | ` +
    `decode errors ${fmt(errors)} | no template ${fmt(noTemplate)} | exporter-reported loss ${fmt(lost)} | ` +
    `dropped by us ${fmt(dropped)} | quarantined (time) ${fmt(quarantined)} | kernel drops ${kernel === null ? 'n/a' : fmt(kernel)}`
  );
}
