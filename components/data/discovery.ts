// GET /api/v1/discovery/coverage: defined with its reader in lib/read/coverage.ts.
export type { CoverageReport } from '../../lib/read/coverage';
