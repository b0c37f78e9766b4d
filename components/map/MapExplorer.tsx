'use client';
// The dependency map page: window, level, filters, search and overlays in the URL; the canvas;
// the details panel of the selection; and the same dependencies as a list for keyboard and
// screen-reader use.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { LEVELS, type Level } from '../../lib/analysis/types';
import { apiGet } from '../api/client';
import { decodeMap, type MapData, type MapWire } from '../data/map';
import { isPending, type Pending } from '../data/progress';
import { estateCounts } from '../../lib/analysis/counts';
import { compact, count, num, utc } from '../format';
import { AnalysisRunning, Empty, ErrorBox, Loading, NoDataNextSteps } from '../ui/States';
import { WindowPicker } from '../ui/WindowPicker';
import { useUrlState, useWindow } from '../url-state';
import { windowLabel, windowParams } from '../window';
import { CytoscapeMap } from './CytoscapeMap';
import { browserLayoutEngine } from './elk-engine';
import { mapLayout } from './layered';
import type { LayoutResult } from './layout';
import { MapFiltersForm } from './MapFilters';
import { MapLegend } from './MapLegend';
import { DetailsPanel } from './Panels';
import { OverlayControls, OverlayStatus, useOverlay } from './overlays';
import { activeFilterCount, ancestorsOf, buildView, DEFAULT_FILTERS, indexMap, searchMap, type MapFilters, type MapView } from './view';

/** Estates up to this many workloads open at workload level; bigger ones at application level. */
const DETAIL_LIMIT = 60;

export function useMapData() {
  const w = useWindow();
  const params = windowParams(w);
  return {
    window: w,
    query: useQuery<MapData | Pending>({
      queryKey: ['map', params],
      queryFn: async ({ signal }) => {
        const r = await apiGet<MapWire | Pending>('/api/v1/map', params, signal);
        return isPending(r) ? r : decodeMap(r);
      },
      // While the analysis runs the route answers 202 with its progress: ask again soon.
      refetchInterval: (q) => (isPending(q.state.data) ? 700 : false),
      staleTime: 60_000,
    }),
  };
}

export function MapExplorer() {
  const url = useUrlState();
  const { window: win, query } = useMapData();
  const data = query.data && !isPending(query.data) ? query.data : null;
  const ix = useMemo(() => (data ? indexMap(data) : null), [data]);
  // for the benchmark (bench/map.ts): when the data arrived, against when the map was painted
  useEffect(() => {
    if (data && !performance.getEntriesByName('bulkhead:map-data').length) performance.mark('bulkhead:map-data');
  }, [data]);

  const filters: MapFilters = {
    env: url.list('env'),
    app: url.list('app'),
    labels: url.list('label'),
    around: url.list('around'),
    ports: url.list('port'),
    protocols: url.list('proto'),
    core: url.flag('core', DEFAULT_FILTERS.core),
    external: url.flag('ext', DEFAULT_FILTERS.external),
    management: url.flag('mgmt', DEFAULT_FILTERS.management),
    scanners: url.flag('scan', DEFAULT_FILTERS.scanners),
  };
  const filterKey = JSON.stringify(filters);
  const levelParam = url.get('level') as Level | null;
  const level: Level = levelParam && LEVELS.includes(levelParam) ? levelParam : ix && ix.data.workloads.length <= DETAIL_LIMIT ? 'workload' : 'application';
  const open = url.list('open');
  const closed = url.list('closed');
  const selected = url.get('sel');

  const view = useMemo(
    () => (ix ? buildView(ix, { level, open, closed, filters: JSON.parse(filterKey) as MapFilters }) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ix, level, open.join(','), closed.join(','), filterKey],
  );
  const aspect = useCanvasAspect();
  // The layout is computed off the page's thread (./elk-engine.ts); the canvas keeps drawing the
  // view it has a layout for until the new one is ready, so a view and its positions never mix.
  // (the fit key travels with its layout: a level's first layout is fitted when it is drawn)
  const fitKey = `${level}|${filterKey}|${data?.computedAt}|${aspect}`;
  const [laid, setLaid] = useState<{ view: MapView; layout: LayoutResult; fitKey: string } | null>(null);
  const [layoutError, setLayoutError] = useState<Error | null>(null);
  useEffect(() => {
    if (!view) return;
    let live = true;
    const t0 = performance.now();
    mapLayout(view, aspect, browserLayoutEngine()).then(
      (layout) => {
        // how long the layout took, for the browser tests and anyone profiling the page
        performance.mark('bulkhead:map-layout', { detail: { ms: Math.round(performance.now() - t0), nodes: view.nodes.length, edges: view.edges.length, routed: layout.routes !== undefined } });
        if (live) setLaid({ view, layout, fitKey });
      },
      (e: unknown) => live && setLayoutError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fitKey changes with view or aspect
  }, [view, aspect]);
  const layout = laid?.layout ?? null;

  // search
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search);
  const hits = useMemo(() => (ix ? searchMap(ix, deferred) : []), [ix, deferred]);
  const [reveal, setReveal] = useState<{ id: string; at: number; fit?: boolean } | null>(null);
  const pendingReveal = useRef<{ id: string; at: number; fit?: boolean } | null>(null);
  useEffect(() => {
    if (pendingReveal.current && view?.nodes.some((n) => n.id === pendingReveal.current!.id)) {
      setReveal(pendingReveal.current);
      pendingReveal.current = null;
    }
  }, [view]);
  const activeFilters = activeFilterCount(filters);
  const [showFilters, setShowFilters] = useState(activeFilters > 0);

  const overlay = useOverlay({ data, view, window: win });

  const classes = useMemo(() => {
    const c: Record<string, string> = { ...overlay.classes };
    if (view && deferred.trim()) for (const h of hits) {
      const r = view.rep[h.id.replace(/^(w|ep):/, '')] ?? h.id;
      c[r] = `${c[r] ?? ''} match`.trim();
    }
    return c;
  }, [overlay.classes, hits, view, deferred]);

  const select = useCallback((id: string | null) => url.set({ sel: id }), [url]);
  // the selection's neighbourhood at workload level: an application by the app filter, a workload
  // by `around`; the selection stays, everything else goes
  const focusOn = useCallback(
    (id: string) => {
      if (id.startsWith('app:')) url.set({ app: [id.slice(4)], around: null, level: 'workload' });
      else if (id.startsWith('w:')) url.set({ around: [id.slice(2)], app: null, level: 'workload' });
    },
    [url],
  );
  const unfocus = useCallback(() => url.set({ app: null, around: null }), [url]);
  const toggle = useCallback(
    (id: string) => {
      if (!view) return;
      const n = view.nodes.find((x) => x.id === id);
      if (!n || !n.group) return;
      const o = new Set(open);
      const c = new Set(closed);
      if (n.collapsed) {
        c.delete(id);
        o.add(id);
      } else {
        o.delete(id);
        // collapsing also collapses anything opened inside it
        for (const x of [...o]) if (x.includes(id.slice(id.indexOf(':') + 1))) o.delete(x);
        c.add(id);
      }
      url.set({ open: [...o], closed: [...c], sel: id });
      // show what opened (or the group that closed) rather than leaving it off screen, once the
      // URL (and so the view) has changed
      pendingReveal.current = { id, at: Date.now(), fit: true };
    },
    [view, open, closed, url],
  );
  const showNode = useCallback(
    (id: string) => {
      if (!ix) return;
      const o = new Set(open);
      const c = new Set(closed);
      for (const a of ancestorsOf(ix, id)) {
        o.add(a);
        c.delete(a);
      }
      const changed = o.size !== open.length || c.size !== closed.length;
      url.set({ open: [...o], closed: [...c], sel: id });
      if (changed) pendingReveal.current = { id, at: Date.now() };
      else setReveal({ id, at: Date.now() });
      setSearch('');
    },
    [ix, open, closed, url],
  );

  // A selection that is no longer drawn (collapsed away) falls back to what represents it.
  useEffect(() => {
    if (!view || !selected || selected.startsWith('e:')) return;
    if (!view.nodes.some((n) => n.id === selected)) {
      const r = view.rep[selected.replace(/^(w|ep):/, '')];
      if (r && r !== selected) url.set({ sel: r });
    }
  }, [view, selected, url]);

  if (query.error) return <ErrorBox error={query.error} retry={() => void query.refetch()} />;
  if (!query.data) return <Loading what="Loading the dependency map" />;
  if (isPending(query.data)) return <AnalysisRunning progress={query.data.progress} what={`Analysing the ${windowLabel(win)}`} />;
  if (layoutError) return <ErrorBox error={layoutError} retry={() => setLayoutError(null)} />;
  if (!data || !view || !ix) return null;
  if (!laid || !layout) return <Loading what="Laying out the dependency map" />;

  const empty = data.edges.length === 0 && data.workloads.length === 0;
  const counts = estateCounts(data);
  return (
    <div className="map-page">
      <div className="map-toolbar">
        <WindowPicker value={win} />
        <fieldset className="level-picker">
          <legend>Level</legend>
          <div className="segmented" role="group" aria-label="Level of detail">
            {LEVELS.map((l) => (
              <button key={l} type="button" aria-pressed={level === l} onClick={() => url.set({ level: l, open: null, closed: null })}>
                {l === 'environment' ? 'Environments' : l === 'application' ? 'Applications' : l === 'role' ? 'Roles' : 'Workloads'}
              </button>
            ))}
          </div>
        </fieldset>
        <div className="map-search" role="search">
          <label htmlFor="map-search">Find</label>
          <input
            id="map-search"
            type="search"
            placeholder="workload, address, application"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && hits[0]) {
                e.preventDefault();
                showNode(hits[0].id);
              }
            }}
            aria-controls={deferred.trim() ? "map-search-results" : undefined}
            aria-describedby="map-search-help"
          />
          <span id="map-search-help" className="visually-hidden">
            Matches are highlighted on the map; Enter shows the first one.
          </span>
          {deferred.trim() && (
            <ul id="map-search-results" className="search-results" aria-label="Search results">
              {hits.length === 0 && <li className="muted">Nothing matches “{deferred}”.</li>}
              {hits.map((h) => (
                <li key={h.id}>
                  <button type="button" onClick={() => showNode(h.id)}>
                    <strong>{h.label}</strong> <span className="muted">{h.detail}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <OverlayControls overlay={overlay} />
        <button type="button" className="btn btn-secondary" aria-expanded={showFilters} aria-controls="map-filters" onClick={() => setShowFilters(!showFilters)}>
          Filters{activeFilters > 0 && <span className="count">{activeFilters}</span>}
        </button>
      </div>

      <p className="map-summary" aria-live="polite">
        {windowLabel(win)} · {count(counts.applications, 'application')} · {count(counts.workloads, 'workload')} · {count(counts.dependencies, 'dependency')}
        {' · '}showing {count(view.nodes.length, 'node')} and {count(view.edges.length, 'link')}
        {view.hidden.core + view.hidden.management > 0 && (
          <>
            {' · '}hidden: {view.hidden.core > 0 && `${num(view.hidden.core)} to shared services`}
            {view.hidden.core > 0 && view.hidden.management > 0 && ', '}
            {view.hidden.management > 0 && `${num(view.hidden.management)} management paths`}
          </>
        )}
        {' · '}
        <span className="muted">analysed {utc(data.computedAt)} in {compact(data.analysisMs)} ms</span>
      </p>
      <OverlayStatus overlay={overlay} />
      {layout && layout.routes === undefined && level === 'workload' && !filters.app.length && !filters.around.length && !empty && (
        <p className="notice">
          {count(view.nodes.length, 'node')} are too many to lay out in layers, so they stand on a grid where lines may cross them: select an application or a workload and
          choose <strong>Focus on its neighbourhood</strong> to see it with what it talks to directly.
        </p>
      )}
      {(data.coverage.shorterThanCycle || !data.coverage.converged) && !empty && (
        <p className="notice">
          {data.coverage.shorterThanCycle && `The data covers ${data.coverage.daysWithData} of the ${data.coverage.days.toFixed(0)} days: monthly jobs, patch cycles and backups may be missing. `}
          {!data.coverage.converged && 'Discovery has not converged yet (new dependencies still appear every day). '}
          <Link href={`/discovery?${new URLSearchParams(windowParams(win))}`}>Coverage and convergence</Link>
        </p>
      )}

      {empty ? (
        <Empty title="No flows in this window">
          <p>The map draws itself from flows. Choose a longer window, or give Bulkhead traffic to learn from:</p>
          <NoDataNextSteps />
        </Empty>
      ) : (
        <div className={`map-body${showFilters ? '' : ' filters-hidden'}`}>
          {showFilters && <MapFiltersForm data={data} filters={filters} />}
          <div className="map-main">
            <CytoscapeMap
              view={laid.view}
              layout={layout}
              classes={classes}
              selected={selected}
              fitKey={laid.fitKey}
              onSelect={select}
              onToggle={toggle}
              reveal={reveal}
            />
            <MapLegend overlay={overlay.kind} />
          </div>
          <DetailsPanel ix={ix} view={view} selected={selected} onSelect={select} onToggle={toggle} onFocus={focusOn} onUnfocus={filters.app.length || filters.around.length ? unfocus : null} window={win} overlay={overlay} />
        </div>
      )}
      {!empty && <DependencyList view={view} onSelect={select} selected={selected} />}
    </div>
  );
}

/** Width / height of the map canvas (from the viewport: the canvas fills what the side panels leave). */
function useCanvasAspect(): number {
  const measure = () => (typeof window === 'undefined' ? 1.4 : Math.min(3, Math.max(0.8, (window.innerWidth - (window.innerWidth > 1100 ? 400 : 60)) / Math.max(300, window.innerHeight - 224))));
  const [aspect, setAspect] = useState(1.4);
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | undefined;
    const update = () => setAspect(Math.round(measure() * 10) / 10);
    update();
    const onResize = () => {
      clearTimeout(t);
      t = setTimeout(update, 200);
    };
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return aspect;
}

/** The links of the current view as a table: the keyboard and screen-reader way into the map. */
function DependencyList({ view, onSelect, selected }: { view: ReturnType<typeof buildView>; onSelect(id: string): void; selected: string | null }) {
  const [all, setAll] = useState(false);
  const labels = useMemo(() => new Map(view.nodes.map((n) => [n.id, n.title])), [view]);
  const rows = useMemo(() => [...view.edges].sort((a, b) => b.flows - a.flows), [view]);
  const shown = all ? rows : rows.slice(0, 25);
  return (
    <section className="card" aria-labelledby="deps-heading">
      <h2 id="deps-heading">Dependencies in this view ({num(rows.length)})</h2>
      <div className="table-wrap" tabIndex={0}>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Server</th>
              <th scope="col">Ports</th>
              <th scope="col" className="num">
                Flows
              </th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id} className={selected === e.id ? "selected" : undefined}>
                <td>{labels.get(e.source)}</td>
                <td>{labels.get(e.target)}</td>
                <td>{e.ports.slice(0, 6).join(', ') + (e.ports.length > 6 ? ` +${e.ports.length - 6}` : '')}</td>
                <td className="num">{compact(e.flows)}</td>
                <td>{utc(e.lastSeen)}</td>
                <td>
                  <button type="button" className="btn btn-small" onClick={() => onSelect(e.id)} aria-label={`Details of ${labels.get(e.source)} to ${labels.get(e.target)}`}>
                    Details
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > 25 && (
        <button type="button" className="btn btn-link" onClick={() => setAll(!all)}>
          {all ? 'Show the top 25' : `Show all ${num(rows.length)}`}
        </button>
      )}
    </section>
  );
}
