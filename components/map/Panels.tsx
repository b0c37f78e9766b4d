'use client';
// The details of what is selected on the map: an application, role, environment, workload or
// network, or a dependency with its ports, counters, rhythm, a chart over time and a sample of
// the flows behind it.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo, useRef } from 'react';
import { apiGet } from '../api/client';
import { FlowSeriesChart } from '../charts/FlowSeriesChart';
import type { EdgeDetails } from '../data/edge';
import { addressPort, bytes, compact, count, flowPortLabel, icmpMessage, num, pct, portLabel, protocolNumber, utc } from '../format';
import { ErrorBox, Loading } from '../ui/States';
import { windowParams, type WindowSpec } from '../window';
import { roleColor } from './style';
import type { MapIndex, MapView, ViewEdge, ViewNode } from './view';
import type { Overlay } from './overlays';
import { OverlayNodeDetails, OverlayEdgeDetails } from './overlays';
import { numCol, TableHead } from '../ui/TableHead';

const ENFORCEMENT_TEXT = { visibility: 'visibility: left open', test: 'test: what no rule allows is logged, let through', enforced: 'enforced: what no rule allows is dropped' } as const;

interface PanelProps {
  ix: MapIndex;
  view: MapView;
  selected: string | null;
  onSelect(id: string | null): void;
  onToggle(id: string): void;
  /** show only the node's neighbourhood (an application or a workload) at workload level */
  onFocus(id: string): void;
  /** back from a focus to the whole map (null: no focus) */
  onUnfocus: (() => void) | null;
  window: WindowSpec;
  overlay: Overlay;
}

export function DetailsPanel(props: PanelProps) {
  const { view, selected } = props;
  const node = selected && !selected.startsWith('e:') ? view.nodes.find((n) => n.id === selected) : undefined;
  const edge = selected?.startsWith('e:') ? view.edges.find((e) => e.id === selected) : undefined;
  const ref = useRef<HTMLElement>(null);
  // Chosen from the list below the map: bring the panel into view and move focus to it.
  useEffect(() => {
    const el = ref.current;
    if (!el || !selected) return;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight - 80) {
      el.scrollIntoView({ block: 'start' });
      el.querySelector<HTMLElement>('.panel-title')?.focus();
    }
  }, [selected]);
  return (
    <aside ref={ref} className="map-panel" aria-label="Details of the selection" aria-live="polite">
      {node ? (
        <NodeDetails {...props} node={node} />
      ) : edge ? (
        <EdgePanel {...props} edge={edge} />
      ) : (
        <div>
          <h2 className="panel-title" tabIndex={-1}>Nothing selected</h2>
          <p className="muted">
            Click an application, workload or network for its details, or a line for the dependency behind it. Double-click a group to open or close it. The list below
            the map has every dependency in view.
          </p>
          {selected && <p className="notice">The selection is not in the current view (filtered out or folded away).</p>}
        </div>
      )}
    </aside>
  );
}

function Links({ view, node, onSelect }: { view: MapView; node: ViewNode; onSelect(id: string): void }) {
  const labels = useMemo(() => new Map(view.nodes.map((n) => [n.id, n.title])), [view]);
  // an expanded group's links are those of everything drawn inside it that cross its border
  const inside = useMemo(() => {
    const set = new Set([node.id]);
    if (node.group && !node.collapsed) {
      let grew = true;
      while (grew) {
        grew = false;
        for (const n of view.nodes) if (n.parent && set.has(n.parent) && !set.has(n.id)) {
          set.add(n.id);
          grew = true;
        }
      }
    }
    return set;
  }, [view, node]);
  const out = view.edges.filter((e) => inside.has(e.source) && !inside.has(e.target)).sort((a, b) => b.flows - a.flows);
  const inc = view.edges.filter((e) => inside.has(e.target) && !inside.has(e.source)).sort((a, b) => b.flows - a.flows);
  const list = (edges: ViewEdge[], other: (e: ViewEdge) => string, title: string) =>
    edges.length > 0 && (
      <div>
        <h3>
          {title} ({edges.length})
        </h3>
        <ul className="link-list">
          {edges.slice(0, 30).map((e) => (
            <li key={e.id}>
              <button type="button" className="btn-link" onClick={() => onSelect(e.id)}>
                {inside.size > 1 && `${labels.get(inside.has(e.source) ? e.source : e.target)} ${inside.has(e.source) ? '→' : '←'} `}
                {labels.get(other(e))}
              </button>{' '}
              <span className="muted">
                {e.ports.slice(0, 3).join(', ')}
                {e.ports.length > 3 ? '…' : ''} · {compact(e.flows)} flows
              </span>
            </li>
          ))}
          {edges.length > 30 && <li className="muted">and {edges.length - 30} more in the list below the map</li>}
        </ul>
      </div>
    );
  return (
    <>
      {list(out, (e) => e.target, 'Depends on')}
      {list(inc, (e) => e.source, 'Used by')}
      {out.length + inc.length === 0 && <p className="muted">No dependencies in this view.</p>}
    </>
  );
}

function NodeDetails(props: PanelProps & { node: ViewNode }) {
  const { ix, node, onToggle, onSelect, view, window: win } = props;
  const wp = new URLSearchParams(windowParams(win)).toString();
  const internal = view.internal[node.id] ?? 0;
  const toggle = (
    <>
      {node.group && (
        <button type="button" className="btn btn-small" onClick={() => onToggle(node.id)}>
          {node.collapsed ? 'Expand' : 'Collapse'}
        </button>
      )}
      {(node.kind === 'app' || node.kind === 'workload') && (
        <button type="button" className="btn btn-small" onClick={() => props.onFocus(node.id)}>
          Focus on its neighbourhood
        </button>
      )}
      {props.onUnfocus && (
        <button type="button" className="btn btn-small btn-secondary" onClick={props.onUnfocus}>
          Show the whole map
        </button>
      )}
    </>
  );

  if (node.kind === 'workload') {
    const w = ix.workloads.get(node.id.slice(2));
    if (!w) return null;
    return (
      <div>
        <p className="panel-kind">Workload</p>
        <h2 className="panel-title" tabIndex={-1}>{w.name}</h2>
        <dl className="facts">
          <dt>Application</dt>
          <dd>{w.app ? <Link href={`/applications/${encodeURIComponent(w.app)}?${wp}`}>{w.app}</Link> : '—'}</dd>
          <dt>Role</dt>
          <dd>
            <span className="swatch dot" style={{ background: roleColor(w.role) }} aria-hidden="true" /> {w.role}{' '}
            <span className="muted">{w.roleSource === 'label' ? '(label)' : `(inferred, ${pct(w.roleConfidence, 0)})`}</span>
          </dd>
          <dt>Environment</dt>
          <dd>{w.env ?? '—'}</dd>
          <dt>Addresses</dt>
          <dd>{w.addresses.join(', ') || '—'}</dd>
          <dt>Serves</dt>
          <dd>{w.serves.join(', ') || '—'}</dd>
          {w.coreService && (
            <>
              <dt>Shared service</dt>
              <dd>{w.coreService}</dd>
            </>
          )}
          <dt>Labels</dt>
          <dd>
            {Object.keys(w.labels).length
              ? Object.entries(w.labels).map(([k, v]) => (
                  <span key={k} className="tag">
                    {k}={v}
                  </span>
                ))
              : 'none'}
          </dd>
          <dt>Application confidence</dt>
          <dd>{w.appSource === 'label' ? 'from its app label' : pct(w.confidence, 0)}</dd>
        </dl>
        <p className="actions">
          <Link className="btn btn-small" href={`/workloads/${encodeURIComponent(w.id)}?${wp}`}>
            Workload page
          </Link>
          <Link className="btn btn-small" href={`/flows?${wp}&endpoint=${encodeURIComponent(w.name)}`}>
            Its flows
          </Link>
          <Link className="btn btn-small" href={`/blast-radius?workload=${encodeURIComponent(w.id)}`}>
            Blast radius
          </Link>
          {toggle}
        </p>
        <OverlayNodeDetails overlay={props.overlay} nodeId={node.id} />
        <Links view={view} node={node} onSelect={onSelect} />
      </div>
    );
  }

  if (node.kind === 'app') {
    const a = ix.apps.get(node.id.slice(4));
    if (!a) return null;
    return (
      <div>
        <p className="panel-kind">{a.kind === 'application' ? 'Application' : a.kind === 'core-service' ? 'Shared service' : a.kind === 'management' ? 'Management' : 'Scanners'}</p>
        <h2 className="panel-title" tabIndex={-1}>{a.name}</h2>
        <dl className="facts">
          <dt>Environment</dt>
          <dd>{a.env ?? '—'}</dd>
          <dt>Workloads</dt>
          <dd>{num(a.members)}</dd>
          <dt>Roles</dt>
          <dd>
            {Object.entries(a.roles)
              .sort((x, y) => y[1] - x[1])
              .map(([r, n]) => (
                <span key={r} className="tag">
                  <span className="swatch dot" style={{ background: roleColor(r) }} aria-hidden="true" /> {r} {n}
                </span>
              ))}
          </dd>
          <dt>Grouping</dt>
          <dd>{a.source === 'label' ? 'every member carries its app label' : `inferred, confidence ${pct(a.confidence, 0)}`}</dd>
          {a.kind === 'application' && (
            <>
              <dt>Enforcement</dt>
              <dd>{ENFORCEMENT_TEXT[a.enforcement]}</dd>
            </>
          )}
          {internal > 0 && (
            <>
              <dt>Inside</dt>
              <dd>{count(internal, 'dependency')} between its own workloads</dd>
            </>
          )}
        </dl>
        <p className="actions">
          {toggle}
          <Link className="btn btn-small" href={`/applications/${encodeURIComponent(a.id)}?${wp}`}>
            Application page
          </Link>
          {a.kind === 'application' && (
            <Link className="btn btn-small" href={`/rules?unit=${encodeURIComponent(a.id)}`}>
              Its rules
            </Link>
          )}
        </p>
        <OverlayNodeDetails overlay={props.overlay} nodeId={node.id} />
        <Links view={view} node={node} onSelect={onSelect} />
      </div>
    );
  }

  if (node.kind === 'endpoint') {
    const e = ix.endpoints.get(node.id.slice(3));
    return (
      <div>
        <p className="panel-kind">{e?.kind === 'internet' ? 'The internet' : e?.kind === 'network' ? `Named network (${e.networkKind ?? 'other'})` : 'Address'}</p>
        <h2 className="panel-title" tabIndex={-1}>{node.title}</h2>
        <dl className="facts">
          <dt>Range</dt>
          <dd>{e?.id ?? node.id.slice(3)}</dd>
          <dt>Addresses seen</dt>
          <dd>{num(e?.addresses ?? 1)}</dd>
        </dl>
        <p className="actions">
          <Link className="btn btn-small" href={`/flows?${wp}&endpoint=${encodeURIComponent(e?.id ?? node.id.slice(3))}`}>
            Its flows
          </Link>
        </p>
        <Links view={view} node={node} onSelect={onSelect} />
      </div>
    );
  }

  // environment, zone or role
  return (
    <div>
      <p className="panel-kind">{node.kind === 'env' ? 'Environment' : node.kind === 'role' ? `Role in ${node.app}` : 'Group'}</p>
      <h2 className="panel-title" tabIndex={-1}>{node.title}</h2>
      <dl className="facts">
        <dt>Workloads</dt>
        <dd>{num(node.workloads)}</dd>
        {internal > 0 && (
          <>
            <dt>Inside</dt>
            <dd>{count(internal, 'dependency')} folded into it</dd>
          </>
        )}
      </dl>
      <p className="actions">{toggle}</p>
      <Links view={view} node={node} onSelect={onSelect} />
    </div>
  );
}

function EdgePanel(props: PanelProps & { edge: ViewEdge }) {
  const { edge, view, ix, window: win, onSelect } = props;
  const labels = useMemo(() => new Map(view.nodes.map((n) => [n.id, n.title])), [view]);
  const members = useMemo(() => edge.members.map((i) => ix.data.edges[i]!).sort((a, b) => b.flows - a.flows), [edge, ix]);
  const name = (id: string) => ix.workloads.get(id)?.name ?? ix.endpoints.get(id)?.name ?? id;
  const params = {
    ...windowParams(win),
    client: edge.source,
    server: edge.target,
    ports: edge.ports.join(','),
    // the same paths the map folded into this line: shared-service and management paths only when it holds some
    excludeCore: edge.flags.coreService ? undefined : '1',
    excludeManagement: edge.flags.management ? undefined : '1',
  };
  const details = useQuery({
    queryKey: ['edge', params],
    queryFn: ({ signal }) => apiGet<EdgeDetails>('/api/v1/map/edge', params, signal),
    staleTime: 60_000,
  });
  const flowsLink = `/flows?${new URLSearchParams({ ...windowParams(win), client: edge.source, server: edge.target, port: edge.ports.join(',') })}`;
  return (
    <div>
      <p className="panel-kind">Dependency{edge.members.length > 1 ? ` (${edge.members.length} folded)` : ''}</p>
      <h2 className="panel-title" tabIndex={-1}>
        <button type="button" className="btn-link" onClick={() => onSelect(edge.source)}>
          {labels.get(edge.source)}
        </button>{' '}
        →{' '}
        <button type="button" className="btn-link" onClick={() => onSelect(edge.target)}>
          {labels.get(edge.target)}
        </button>
      </h2>
      <dl className="facts">
        <dt>Ports</dt>
        <dd>{edge.ports.join(', ')}</dd>
        <dt>Flows</dt>
        <dd>
          {num(edge.flows)}
          {edge.failedFlows > 0 && <span className="muted"> ({num(edge.failedFlows)} refused or unanswered)</span>}
        </dd>
        <dt>Bytes</dt>
        <dd>{bytes(edge.bytes)}</dd>
        <dt>First seen</dt>
        <dd>{utc(edge.firstSeen)}</dd>
        <dt>Last seen</dt>
        <dd>{utc(edge.lastSeen)}</dd>
        <dt>Rhythm</dt>
        <dd>{edge.periodicity}</dd>
        <dt>Kind</dt>
        <dd>
          {[
            edge.flags.coreService && 'shared service',
            edge.flags.management && 'management path',
            edge.flags.external && 'external',
            edge.flags.crossApplication && 'across applications',
            edge.flags.crossEnvironment && 'across environments',
          ]
            .filter(Boolean)
            .join(', ') || 'inside an application'}
        </dd>
      </dl>
      <OverlayEdgeDetails overlay={props.overlay} edge={edge} />
      <h3>Over time</h3>
      {details.error ? (
        <ErrorBox error={details.error} retry={() => void details.refetch()} />
      ) : !details.data ? (
        <Loading what="Loading its flows" />
      ) : (
        <>
          <FlowSeriesChart series={details.data.series} bucket={details.data.bucket} label={`Flows of ${labels.get(edge.source)} to ${labels.get(edge.target)}`} height={140} />
          <h3>Sample of the flows ({num(details.data.samples.length)} of {num(details.data.totalFlows)} records)</h3>
          {details.data.samples.length === 0 ? (
            <p className="muted">No raw flow records in this window (raw flows are kept {details.data.retentionDays ? `${details.data.retentionDays} days` : 'forever'}; the hourly rollups longer).</p>
          ) : (
            <div className="table-wrap" tabIndex={0}>
              <table className="data compact" aria-label="Sample flows">
                <TableHead columns={['Start (UTC)', 'Client', 'Server', numCol('Bytes')]} />
                <tbody>
                  {details.data.samples.map((f, i) => (
                    <tr key={i}>
                      <td className="nowrap" title={utc(f.start, true)}>
                        {f.start.slice(5, 10)} {f.start.slice(11, 19)}
                      </td>
                      <td title={addressPort(f.client, protocolNumber(f.protocol) ?? 0, f.clientPort)}>{f.client}</td>
                      <td className="nowrap">
                        {addressPort(f.server, protocolNumber(f.protocol) ?? 0, f.serverPort)}
                        {f.protocol !== 'tcp' && (icmpMessage(protocolNumber(f.protocol) ?? 0, f.serverPort) ? ` ${flowPortLabel(protocolNumber(f.protocol) ?? 0, f.serverPort)}` : `/${f.protocol}`)}
                      </td>
                      <td className="num">{bytes(f.bytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <p className="actions">
        <Link className="btn btn-small" href={flowsLink}>
          Open in the flows explorer
        </Link>
      </p>
      {members.length > 1 && (
        <>
          <h3>Workload-level dependencies ({members.length})</h3>
          <ul className="link-list">
            {members.slice(0, 40).map((m, i) => (
              <li key={i}>
                {name(m.from)} → {name(m.to)} <span className="muted">{portLabel(m.protocol, m.port)} · {compact(m.flows)} flows · {m.periodicity}</span>
              </li>
            ))}
            {members.length > 40 && <li className="muted">and {members.length - 40} more</li>}
          </ul>
        </>
      )}
    </div>
  );
}
