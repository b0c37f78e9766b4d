'use client';
// Filters of the map, kept in the URL: focus (environments, applications, labels), traffic
// (ports, protocols) and what kinds of paths to draw.
import { useId, useMemo, useState } from 'react';
import type { MapData } from '../data/map';
import { useUrlState } from '../url-state';
import { activeFilterCount, type MapFilters } from './view';

export function MapFiltersForm({ data, filters }: { data: MapData; filters: MapFilters }) {
  const { set } = useUrlState();
  const id = useId();
  const envs = useMemo(() => [...new Set(data.applications.filter((a) => a.kind === 'application').map((a) => a.env ?? ''))].sort(), [data]);
  const apps = useMemo(() => data.applications.filter((a) => a.kind === 'application').sort((a, b) => a.id.localeCompare(b.id)), [data]);
  const labelKeys = useMemo(() => {
    const m = new Map<string, Set<string>>();
    for (const w of data.workloads) for (const [k, v] of Object.entries(w.labels)) (m.get(k) ?? m.set(k, new Set()).get(k)!).add(v);
    return m;
  }, [data]);
  const [label, setLabel] = useState('');
  const [port, setPort] = useState('');
  const active = activeFilterCount(filters);

  const toggleIn = (key: 'env' | 'app' | 'proto', list: string[], v: string) => set({ [key]: list.includes(v) ? list.filter((x) => x !== v) : [...list, v], sel: null });

  return (
    <aside className="map-filters" id="map-filters" aria-label="Map filters">
      <h2 className="panel-title">Filters {active > 0 && <span className="count">{active}</span>}</h2>
      <fieldset>
        <legend>Show</legend>
        {(
          [
            ['core', 'Shared services (DNS, NTP, directory…)', filters.core],
            ['ext', 'External networks and the internet', filters.external],
            ['mgmt', 'Management paths (SSH, RDP, jump hosts)', filters.management],
            ['scan', 'Scanners', filters.scanners],
          ] as const
        ).map(([k, text, on]) => (
          <label key={k} className="check">
            <input type="checkbox" checked={on} onChange={(e) => set({ [k]: e.target.checked })} /> {text}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Environments</legend>
        {envs.map((e) => (
          <label key={e || 'none'} className="check">
            <input type="checkbox" checked={filters.env.includes(e)} onChange={() => toggleIn('env', filters.env, e)} /> {e || 'no environment'}
          </label>
        ))}
      </fieldset>
      <label className="field">
        Application
        <select
          value=""
          onChange={(e) => {
            if (e.target.value) set({ app: [...new Set([...filters.app, e.target.value])], sel: `app:${e.target.value}` });
          }}
        >
          <option value="">add an application…</option>
          {apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </select>
      </label>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          if (label.trim()) set({ label: [...new Set([...filters.labels, label.trim()])] });
          setLabel('');
        }}
      >
        <label htmlFor={`${id}-label`}>Label (key=value)</label>
        <input id={`${id}-label`} list={`${id}-labels`} value={label} onChange={(e) => setLabel(e.target.value)} placeholder="team=payments" />
        <datalist id={`${id}-labels`}>
          {[...labelKeys].flatMap(([k, vs]) => [...vs].slice(0, 20).map((v) => <option key={`${k}=${v}`} value={`${k}=${v}`} />))}
        </datalist>
      </form>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          const v = port.trim();
          if (v) set({ port: [...new Set([...filters.ports, ...v.split(/[\s,]+/).filter(Boolean)])] });
          setPort('');
        }}
      >
        <label htmlFor={`${id}-port`}>Port (443, tcp/5432, 8000-8100)</label>
        <input id={`${id}-port`} value={port} onChange={(e) => setPort(e.target.value)} inputMode="text" />
      </form>
      <fieldset>
        <legend>Protocols</legend>
        {['tcp', 'udp', 'icmp'].map((p) => (
          <label key={p} className="check">
            <input type="checkbox" checked={filters.protocols.includes(p)} onChange={() => toggleIn('proto', filters.protocols, p)} /> {p.toUpperCase()}
          </label>
        ))}
      </fieldset>
      {active > 0 && (
        <div className="chips" aria-label="Active filters">
          {filters.app.map((a) => (
            <button key={`a${a}`} type="button" className="chip" onClick={() => set({ app: filters.app.filter((x) => x !== a) })} aria-label={`Remove application filter ${a}`}>
              app {a} ×
            </button>
          ))}
          {filters.labels.map((l) => (
            <button key={`l${l}`} type="button" className="chip" onClick={() => set({ label: filters.labels.filter((x) => x !== l) })} aria-label={`Remove label filter ${l}`}>
              {l} ×
            </button>
          ))}
          {filters.ports.map((p) => (
            <button key={`p${p}`} type="button" className="chip" onClick={() => set({ port: filters.ports.filter((x) => x !== p) })} aria-label={`Remove port filter ${p}`}>
              port {p} ×
            </button>
          ))}
          {filters.around.map((w) => (
            <button key={`w${w}`} type="button" className="chip" onClick={() => set({ around: filters.around.filter((x) => x !== w) })} aria-label={`Remove the focus on ${data.workloads.find((x) => x.id === w)?.name ?? w}`}>
              around {data.workloads.find((x) => x.id === w)?.name ?? w} ×
            </button>
          ))}
          <button type="button" className="btn btn-link" onClick={() => set({ env: null, app: null, label: null, around: null, port: null, proto: null })}>
            Clear filters
          </button>
        </div>
      )}
    </aside>
  );
}
