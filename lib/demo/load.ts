// Loading a generated estate into the stores: its inventory through applyInventory (the one
// way inventory gets in), its named networks, and its flows generated inside ClickHouse. The
// options are kept (Setting "demo") so that the same estate, and therefore its ground truth,
// can be regenerated later to measure an analysis against it.
import type { Db } from '../db';
import { syncNamedNetworks } from '../identity/networks';
import { applyInventory } from '../inventory/apply';
import type { InventoryObservation } from '../inventory/types';
import type { Store } from '../store';
import { generateEstate, type Estate, type EstateOptions } from './estate';
import { writeEstateFlows } from './flows';
import { BulkheadError, type ErrorKind } from '../errors';

export const DEMO_SOURCE = 'demo';
export const DEMO_SETTING = 'demo';

/** Refusals of `bulkhead demo` (a demo already loaded, an estate too large). */
export class DemoError extends BulkheadError {
  override name = 'DemoError';
  constructor(message: string, kind: ErrorKind = 'invalid') {
    super(kind, message);
  }
}

/** What is kept about a loaded demo: enough to regenerate the same estate. */
export interface DemoRecord {
  options: Omit<EstateOptions, 'end'> & { end: string };
  loadedAt: string;
  workloads: number;
  conversations: number;
  flows: number;
  start: string;
  end: string;
}

export interface DemoLoadResult extends DemoRecord {
  estate: Estate;
  timings: { inventoryMs: number; flowsMs: number; totalMs: number };
}

export type DemoStage = 'inventory' | 'flows';

export interface LoadDemoOptions extends EstateOptions {
  /** remove a previously loaded demo first (refused when the stores hold anything else) */
  replace?: boolean;
  onProgress?: (stage: DemoStage, done: number, total: number, detail?: string) => void;
}

interface Stores {
  db: Db;
  store: Store;
}

/** What the stores hold besides a demo: workloads from other sources and flows from real exporters. */
export async function foreignData({ db, store }: Stores): Promise<{ workloads: number; flows: number }> {
  const workloads = await db.workload.count({ where: { source: { not: DEMO_SOURCE } } });
  const [f] = await store.rows<{ n: number }>(
    `SELECT count() AS n FROM ${store.t('sources_hourly')} WHERE NOT (source_kind = 'synthetic' AND startsWith(exporter, 'demo-'))`,
  );
  return { workloads, flows: f?.n ?? 0 };
}

export async function demoRecord(db: Db): Promise<DemoRecord | null> {
  const s = await db.setting.findUnique({ where: { key: DEMO_SETTING } });
  return (s?.value as unknown as DemoRecord | undefined) ?? null;
}

/** The estate of the loaded demo, regenerated from its options (same seed, same estate). */
export async function loadedEstate(db: Db): Promise<Estate | null> {
  const rec = await demoRecord(db);
  if (!rec) return null;
  return generateEstate({ ...rec.options, end: new Date(rec.options.end) });
}

/** Remove a loaded demo: its workloads (labels and bindings go with them), its flows and rollups. */
export async function removeDemo({ db, store }: Stores): Promise<void> {
  const foreign = await foreignData({ db, store });
  if (foreign.workloads || foreign.flows) {
    throw new DemoError(
      `the stores hold data that is not from the demo (${foreign.workloads} workloads from other sources, ${foreign.flows} hours of flows from other exporters); ` +
        'load the demo into an empty BULKHEAD_HOME instead (BULKHEAD_HOME=./demo-home bulkhead demo)',
    );
  }
  await db.workload.deleteMany({ where: { source: DEMO_SOURCE } });
  await db.application.deleteMany({ where: { confirmed: false } });
  await db.setting.deleteMany({ where: { key: DEMO_SETTING } });
  for (const t of ['flows', 'conversations_hourly', 'sources_hourly']) await store.command(`TRUNCATE TABLE IF EXISTS ${store.t(t)}`);
  await syncNamedNetworks(db, store);
}

export async function loadDemo(stores: Stores, opts: LoadDemoOptions = {}): Promise<DemoLoadResult> {
  const { db, store } = stores;
  const t0 = performance.now();
  const existing = await demoRecord(db);
  if (existing && !opts.replace) {
    throw new DemoError(`a demo estate is already loaded (${existing.workloads} workloads, loaded ${existing.loadedAt}); pass --replace to load a new one`);
  }
  const foreign = await foreignData(stores);
  if (foreign.workloads || foreign.flows) {
    throw new DemoError(
      `the stores already hold other data (${foreign.workloads} workloads, ${foreign.flows} hours of flows from real sources); ` +
        'the demo goes into an empty BULKHEAD_HOME so it never mixes with real data: BULKHEAD_HOME=./demo-home bulkhead demo',
    );
  }
  if (existing || (await db.workload.count())) await removeDemo(stores);

  const end = opts.end ?? new Date();
  const options = { ...opts, end };
  delete (options as { onProgress?: unknown }).onProgress;
  delete (options as { replace?: unknown }).replace;
  const estate = generateEstate(options);

  // inventory: workloads, labels, address history (applyInventory syncs bindings to ClickHouse)
  opts.onProgress?.('inventory', 0, estate.workloads.length);
  const observations: InventoryObservation[] = estate.workloads.map((w) => ({
    name: w.name,
    kind: w.kind,
    addresses: w.bindings.map((b) => ({ ip: b.ip, from: new Date(b.from), to: b.to === null ? null : new Date(b.to) })),
    labels: w.labels,
    attributes: { generatedBy: 'bulkhead demo', os: w.windows ? 'windows' : 'linux' },
  }));
  for (const n of estate.networks) {
    await db.namedNetwork.upsert({ where: { name: n.name }, create: { name: n.name, kind: n.kind, cidrs: n.cidrs.join(' ') }, update: { kind: n.kind, cidrs: n.cidrs.join(' ') } });
  }
  const applied = await applyInventory(db, store, observations, { source: DEMO_SOURCE, at: new Date(estate.end) });
  if (applied.refused.length) throw new Error(`demo inventory refused: ${applied.refused.slice(0, 3).map((x) => `${x.name}: ${x.reason}`).join('; ')}`);
  await syncNamedNetworks(db, store);
  opts.onProgress?.('inventory', estate.workloads.length, estate.workloads.length);
  const t1 = performance.now();

  // flows, generated in the engine
  const flows = await writeEstateFlows(store, estate, {
    onProgress: (done, total) => opts.onProgress?.('flows', done, total),
  });
  const t2 = performance.now();

  const record: DemoRecord = {
    options: { ...options, end: new Date(estate.end).toISOString() },
    loadedAt: new Date().toISOString(),
    workloads: estate.workloads.length,
    conversations: estate.conversations.length,
    flows,
    start: new Date(estate.start).toISOString(),
    end: new Date(estate.end).toISOString(),
  };
  await db.setting.upsert({ where: { key: DEMO_SETTING }, create: { key: DEMO_SETTING, value: record as never }, update: { value: record as never } });
  return { ...record, estate, timings: { inventoryMs: Math.round(t1 - t0), flowsMs: Math.round(t2 - t1), totalMs: Math.round(t2 - t0) } };
}
