// What the flow collectors of this process report: per exporter and per listener. The
// collectors (collectors/) produce it; the web app reads it through the runtime
// (Runtime.collectors) without knowing about sockets or decoders.

/** One exporter speaking one protocol, since the collectors started. */
export interface ExporterStatus {
  /** exporter address (UDP source) */
  exporter: string;
  /** netflow5 | netflow9 | ipfix | sflow5 | unknown (datagrams no decoder recognised) */
  version: string;
  /** observation domains / source ids / sFlow sub-agents seen (at most 32 listed) */
  domains: number[];
  datagrams: number;
  bytes: number;
  /** flow records decoded */
  records: number;
  /** template and options template records received (new or refreshed) */
  templates: number;
  /** templates currently held for this exporter */
  activeTemplates: number;
  /** options data records applied (sampling rates, system init time) */
  options: number;
  /** sFlow counter samples (counted, not stored) */
  counterSamples: number;
  /** datagrams or records that could not be decoded, and the last reason */
  decodeErrors: number;
  lastError: string | null;
  /** data sets dropped because their template did not arrive in time */
  noTemplateDrops: number;
  /** data sets waiting for a template now */
  waitingForTemplate: number;
  /** templates evicted (least recently used) to keep the decoder within its ceilings */
  templatesEvicted: number;
  /** sequence gaps seen and the units the exporter says it lost (flows, records, packets, datagrams or samples) */
  sequenceGaps: number;
  lost: number;
  lostUnit: string;
  /** sequence restarts (exporter restarted or reordered datagrams) */
  sequenceResets: number;
  /** records the flow store could not take in time (the collector's own loss) */
  droppedRecords: number;
  /** records whose times were outside the admission window: kept aside, not stored (lib/store/admission.ts) */
  quarantined: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ListenerStatus {
  kind: 'netflow' | 'ipfix' | 'sflow';
  address: string;
  port: number;
  receiveBufferBytes: number;
  datagrams: number;
  /** datagrams the kernel dropped because the socket buffer was full (Linux /proc/net/udp); null where unreadable */
  kernelDrops: number | null;
  /** bytes waiting in the socket's receive queue now; null where unreadable */
  receiveQueueBytes: number | null;
}

export interface CollectorStatus {
  startedAt: string;
  listeners: ListenerStatus[];
  exporters: ExporterStatus[];
  /** datagrams refused by the exporter allow-list, by source address */
  refused: Record<string, number>;
}

/** Where the web app finds the collectors' status: set on the runtime by the process that runs them. */
export interface CollectorStatusSource {
  status(): CollectorStatus;
}

const PROTOCOL_TEXT: Record<ListenerStatus['kind'], string> = { netflow: 'NetFlow v5/v9', ipfix: 'IPFIX', sflow: 'sFlow' };

/**
 * Where exporters can send flows to this process, from the listeners that are open: "NetFlow
 * v5/v9 to UDP port 2055, IPFIX to UDP port 4739". Null when none is: the collectors are not
 * running here (serve --no-collect) or every port is 0 (off), and naming the configured port
 * would send exporters to a socket nobody reads.
 */
export function exporterPortsText(listeners: ReadonlyArray<Pick<ListenerStatus, 'kind' | 'port'>>): string | null {
  const open = listeners.filter((l) => l.port > 0);
  if (!open.length) return null;
  return open.map((l) => `${PROTOCOL_TEXT[l.kind]} to UDP port ${l.port}`).join(', ');
}
