// The estate's headline counts for a window, one definition for every reader that shows them:
// the overview, the map (page and `bulkhead map`), the applications page and `bulkhead analyze`
// (docs/ui.md#counts). Readers used to count differently (inventory rows against workloads in the
// window; applications with and without the shared-service, management and scanner groups), so
// the same estate showed three workload and three application totals.
// Pure and browser-safe: the map page counts its MapData with it.

export interface EstateCounts {
  /** workloads discovery places in the window: an address bound during it, or seen in its flows */
  workloads: number;
  /** of those, the ones with at least one dependency in the window */
  activeWorkloads: number;
  /** applications proper: not the shared-service (core), management or scanner groups */
  applications: number;
  /** shared-service, management and scanner groups */
  groups: number;
  /** dependencies (client, server, protocol, port) at workload level, outside endpoints included */
  dependencies: number;
}

/** Counts of an analysis result, of its map form (MapData) or of anything shaped like them. */
export function estateCounts(r: { workloads: ReadonlyArray<{ degree: number }>; applications: ReadonlyArray<{ kind: string }>; edges: ReadonlyArray<unknown> }): EstateCounts {
  const applications = r.applications.filter((a) => a.kind === 'application').length;
  return {
    workloads: r.workloads.length,
    activeWorkloads: r.workloads.filter((w) => w.degree > 0).length,
    applications,
    groups: r.applications.length - applications,
    dependencies: r.edges.length,
  };
}
