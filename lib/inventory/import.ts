// One inventory import with its bookkeeping: the import run (so the imports list shows it, with
// the first errors), the application of the observations, and the audit event. The API and the
// CLI both import inventory; keeping the bookkeeping here means the imports list and the audit
// log read the same whichever way the inventory came in.
import type { AuditInput } from '../audit';
import type { Db } from '../db';
import type { Store } from '../store';
import { applyInventory } from './apply';
import type { ApplyResult, InventoryObservation } from './types';

/** An audit event; the caller's recorder adds who did it and through which channel. */
export type InventoryAuditRecorder = (event: Omit<AuditInput, 'actor' | 'via' | 'ip' | 'userAgent'>) => Promise<void>;

export interface InventoryImport {
  /** the import run's kind: inventory-api, inventory-csv, inventory-kubernetes, ... */
  kind: string;
  /** what was read, as the imports list shows it: a file path, or api:<source> */
  path: string;
  /** sha256 of what was read */
  checksum: string;
  /** the file each recorded error came from, when the inventory was read from one */
  file?: string;
  /** the format it was read in, kept in the run's summary */
  format?: string;
  /** the parsed inventory: observations, and the entries that could not be read */
  parsed: { observations: readonly InventoryObservation[]; errors: ReadonlyArray<{ where: string; reason: string }>; skipped?: readonly unknown[] };
  source: string;
  at: Date;
  prune?: boolean;
  /** compute the changes without writing them: no run, no audit event */
  dryRun?: boolean;
  /** opens the audit event's summary: what was imported from where */
  describe: string;
}

/** How many errors an import run keeps: enough to see what went wrong, small enough for a row. */
export const KEPT_ERRORS = 50;

export async function importInventory(db: Db, store: Store | null, input: InventoryImport, record: InventoryAuditRecorder): Promise<ApplyResult> {
  const { parsed, source, at, file } = input;
  const inFile = file === undefined ? {} : { file };
  const run = input.dryRun ? null : await db.importRun.create({ data: { kind: input.kind, path: input.path, checksum: input.checksum, status: 'running' } });
  let r: ApplyResult;
  try {
    r = await applyInventory(db, input.dryRun ? null : store, parsed.observations, { source, at, prune: input.prune, dryRun: input.dryRun });
    if (run) {
      await db.importRun.update({
        where: { id: run.id },
        data: {
          status: 'done',
          finishedAt: new Date(),
          records: parsed.observations.length,
          rejected: parsed.errors.length + r.refused.length,
          errors: [...parsed.errors.map((e) => ({ ...inFile, where: e.where, reason: e.reason })), ...r.refused.map((x) => ({ ...inFile, where: x.name, reason: x.reason }))].slice(0, KEPT_ERRORS) as never,
          summary: {
            source,
            ...(input.format === undefined ? {} : { format: input.format }),
            at: at.toISOString(),
            workloads: r.workloads,
            bindings: r.bindings,
            labels: r.labels,
            ...(parsed.skipped === undefined ? {} : { skipped: parsed.skipped.length }),
          } as never,
        },
      });
    }
  } catch (e) {
    if (run) await db.importRun.update({ where: { id: run.id }, data: { status: 'failed', finishedAt: new Date(), errors: [{ ...inFile, reason: (e as Error).message }] as never } });
    throw e;
  }
  if (run) {
    await record({
      action: 'inventory.import',
      target: { type: 'inventory', id: source },
      summary: `${input.describe}: ${r.workloads.created} new, ${r.workloads.updated} updated workloads; ${r.bindings.opened} bound, ${r.bindings.moved} moved, ${r.bindings.closed} released addresses`,
      after: { workloads: r.workloads, bindings: r.bindings, labels: r.labels, refused: r.refused.length + parsed.errors.length },
    });
  }
  return r;
}
