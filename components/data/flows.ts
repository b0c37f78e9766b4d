// GET /api/v1/flows: raw flow records of a window, defined with their reader in lib/read/flows.ts.
export type { FlowRow, FlowsPage } from '../../lib/read/flows';
