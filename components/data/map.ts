// The dependency map as GET /api/v1/map sends it: defined with its reader in lib/read/map.ts.
export type { MapApplication, MapCoverage, MapData, MapEdge, MapEndpoint, MapWire, MapWorkload } from '../../lib/read/map';
export { decodeMap, encodeMap } from '../../lib/read/map';
