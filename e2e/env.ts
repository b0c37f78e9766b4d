// Where the browser tests' server runs: its own home and loopback ports (override with E2E_*).
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.E2E_PORT ?? 41300);

export const E2E = {
  root,
  home: process.env.E2E_HOME ?? join(root, 'test-results/e2e-home'),
  port,
  baseURL: `http://127.0.0.1:${port}`,
  netflowPort: Number(process.env.E2E_NETFLOW_PORT ?? 41055),
  ipfixPort: Number(process.env.E2E_IPFIX_PORT ?? 41739),
  sflowPort: Number(process.env.E2E_SFLOW_PORT ?? 41343),
};

/** The environment of the e2e server and of CLI commands run against it. */
export function e2eEnv(): Record<string, string> {
  return {
    BULKHEAD_HOME: E2E.home,
    BULKHEAD_HOST: '127.0.0.1',
    BULKHEAD_PORT: String(E2E.port),
    BULKHEAD_LISTEN: '127.0.0.1',
    BULKHEAD_NETFLOW_PORT: String(E2E.netflowPort),
    BULKHEAD_IPFIX_PORT: String(E2E.ipfixPort),
    BULKHEAD_SFLOW_PORT: String(E2E.sflowPort),
    BULKHEAD_FLOW_RETENTION_DAYS: '0',
    BULKHEAD_ROLLUP_RETENTION_DAYS: '0',
  };
}
