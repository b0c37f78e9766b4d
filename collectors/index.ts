// The flow collectors of a serve/collect process: one UDP listener per protocol, each feeding
// datagrams to its decoder and the records to the flow sink.
//
// Foundation state: the listeners bind, honour the exporter allow-list and count datagrams and
// bytes per exporter; decoding (NetFlow v5/v9, IPFIX, sFlow) is the collectors issue's work
// and plugs in at `handle`. Until then every datagram is counted as `undecoded`.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/log';
import type { FlowSink } from '../lib/store/sink';
import { AddressFilter } from './address-filter';

export type ListenerKind = 'netflow' | 'ipfix' | 'sflow';

export interface ExporterStats {
  exporter: string;
  kind: ListenerKind;
  datagrams: number;
  bytes: number;
  undecoded: number;
  lastSeen: string;
}

export interface ListenerInfo {
  kind: ListenerKind;
  address: string;
  port: number;
  receiveBufferBytes: number;
}

export interface Collectors {
  listeners: ListenerInfo[];
  exporters(): ExporterStats[];
  /** datagrams refused by the allow-list, by source address */
  refused(): Record<string, number>;
  close(): Promise<void>;
}

export async function startCollectors(config: Config, sink: FlowSink, log: Logger): Promise<Collectors> {
  void sink;
  const filter = new AddressFilter(config.collect.allow);
  const stats = new Map<string, ExporterStats>();
  const refused: Record<string, number> = {};
  const sockets: Socket[] = [];
  const listeners: ListenerInfo[] = [];
  const ports: Array<[ListenerKind, number]> = [
    ['netflow', config.collect.netflowPort],
    ['ipfix', config.collect.ipfixPort],
    ['sflow', config.collect.sflowPort],
  ];
  const handle = (kind: ListenerKind, msg: Buffer, from: RemoteInfo) => {
    if (!filter.allows(from.address)) {
      refused[from.address] = (refused[from.address] ?? 0) + 1;
      return;
    }
    const key = `${kind}|${from.address}`;
    let s = stats.get(key);
    if (!s) {
      s = { exporter: from.address, kind, datagrams: 0, bytes: 0, undecoded: 0, lastSeen: '' };
      stats.set(key, s);
      log.info({ exporter: from.address, kind }, 'new exporter');
    }
    s.datagrams++;
    s.bytes += msg.length;
    s.undecoded++;
    s.lastSeen = new Date().toISOString();
  };
  try {
    for (const [kind, port] of ports) {
      if (!port) continue;
      const type = config.collect.listen.includes(':') ? 'udp6' : 'udp4';
      const socket = createSocket({ type, reuseAddr: false, recvBufferSize: config.collect.receiveBufferBytes });
      socket.on('message', (msg, from) => handle(kind, msg, from));
      socket.on('error', (err) => log.error({ kind, err: err.message }, 'listener error'));
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, config.collect.listen, () => {
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
  return {
    listeners,
    exporters: () => [...stats.values()].map((s) => ({ ...s })),
    refused: () => ({ ...refused }),
    close: async () => {
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
