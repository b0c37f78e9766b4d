// GET /api/v1/map/edge: what is behind one line of the map (between two map nodes, on some ports).
export interface SeriesPoint {
  /** bucket start, ISO */
  t: string;
  flows: number;
  bytes: number;
}

export interface FlowSample {
  start: string;
  end: string;
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  protocol: string;
  bytes: number;
  packets: number;
  exporter: string;
  sourceKind: string;
}

export interface EdgeDetails {
  window: { from: string; to: string };
  /** workload-level dependencies behind the line */
  dependencies: number;
  bucket: 'hour' | 'day';
  series: SeriesPoint[];
  totalFlows: number;
  samples: FlowSample[];
  timings: { seriesMs: number; samplesMs: number };
  /** raw flow retention in days (0: forever), to explain an empty sample */
  retentionDays: number;
}
