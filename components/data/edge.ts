// GET /api/v1/map/edge: what is behind one line of the map, defined with its reader in lib/read/edge.ts.
export type { EdgeDetails, FlowSample, SeriesPoint } from '../../lib/read/edge';
