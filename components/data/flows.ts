// GET /api/v1/flows: raw flow records of a window, filtered, newest first, with a series.
import type { SeriesPoint } from './edge';

export interface FlowRow {
  start: string;
  end: string;
  client: string;
  clientPort: number;
  /** the workload that held the client address at the time, if any */
  clientWorkload: string | null;
  server: string;
  serverPort: number;
  serverWorkload: string | null;
  protocol: string;
  bytesToServer: number;
  bytesToClient: number;
  packets: number;
  tcpFlags: number;
  exporter: string;
  sourceKind: string;
  action: string;
  samplingRate: number;
  /** how client and server were told apart (biflow, tcp-flags, port, peers, ...) */
  orientation: string;
}

export interface FlowsPage {
  window: { from: string; to: string };
  bucket: 'minute' | 'hour' | 'day';
  series: SeriesPoint[];
  total: number;
  rows: FlowRow[];
  tookMs: number;
}
