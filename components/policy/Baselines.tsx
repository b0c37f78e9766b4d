'use client';
// Baselines and export: immutable, versioned snapshots of the approved rules, the difference
// between two versions, and the export of rules or a baseline to each enforcement format with a
// preview before the download.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { refreshAfterChange } from '../api/refresh';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { apiGet, apiSend, withParams } from '../api/client';
import { portText, selectorText } from '../data/rules';
import { num, utc } from '../format';
import type { BaselineDoc } from '../../lib/export/baseline';
import type { BaselineDiff, BaselineInfo } from '../../lib/policy/baselines';
import { NextStep } from '../journey/NextStep';
import { exportNext } from '../../lib/read/next-step';
import { ErrorBox, Loading } from '../ui/States';
import { useUrlState } from '../url-state';
import { TableHead } from '../ui/TableHead';

type Info = Omit<BaselineInfo, 'createdAt'> & { createdAt: string };
const ref = (b: Pick<Info, 'name' | 'version'>) => `${b.name}@${b.version}`;

export function Baselines({ formats, canExport }: { formats: Array<{ id: string; description: string; directory: boolean }>; canExport: boolean }) {
  const url = useUrlState();
  const list = useQuery({ queryKey: ['baselines'], queryFn: ({ signal }) => apiGet<{ baselines: Info[] }>('/api/v1/baselines', undefined, signal) });
  const view = url.get('view');
  const baselines = list.data?.baselines ?? [];
  return (
    <>
      {canExport && <CreateBaseline />}
      <section className="card" aria-labelledby="bl-h">
        <h2 id="bl-h">Baselines</h2>
        {list.error ? (
          <ErrorBox error={list.error} />
        ) : !list.data ? (
          <Loading what="Loading the baselines" />
        ) : baselines.length === 0 ? (
          <p className="muted">
            None yet. A baseline is a snapshot of the approved rules, frozen with the workloads their labels selected: approve rules on <Link href="/rules">the rules page</Link>, then create
            one here.
          </p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="data compact" aria-label="Baselines">
              <thead>
                <tr>
                  <th scope="col">Baseline</th>
                  <th scope="col">Created</th>
                  <th scope="col">By</th>
                  <th scope="col" className="num">
                    Rules
                  </th>
                  <th scope="col">Note</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {baselines.map((b) => {
                  const prev = baselines.find((x) => x.name === b.name && x.version === b.version - 1);
                  return (
                    <tr key={b.id} className={view === ref(b) ? "selected" : undefined}>
                      <th scope="row">
                        {b.name} v{b.version}
                      </th>
                      <td className="nowrap">{utc(b.createdAt)}</td>
                      <td>{b.createdBy}</td>
                      <td className="num">{num(b.ruleCount)}</td>
                      <td>{b.note}</td>
                      <td className="actions" style={{ margin: 0 }}>
                        <button type="button" className="btn btn-small" onClick={() => url.set({ view: ref(b) })}>
                          View
                        </button>
                        {prev && (
                          <button type="button" className="btn btn-small" onClick={() => url.set({ diffFrom: ref(prev), diffTo: ref(b) })}>
                            Diff with v{prev.version}
                          </button>
                        )}
                        <Link className="btn btn-small" href={`/simulation?policy=${encodeURIComponent(`baseline:${ref(b)}`)}`}>
                          Simulate
                        </Link>
                        {canExport && (
                          <button type="button" className="btn btn-small" onClick={() => url.set({ source: `baseline:${ref(b)}` })}>
                            Export
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {baselines.length > 1 && <Diff baselines={baselines} />}
      {view && <BaselineView refText={view} onClose={() => url.set({ view: null })} />}
      {canExport ? (
        <Export formats={formats} baselines={baselines} />
      ) : (
        <p className="muted">Exporting policy files is for architects and admins.</p>
      )}
    </>
  );
}

function CreateBaseline() {
  const qc = useQueryClient();
  const [name, setName] = useState('production');
  const [note, setNote] = useState('');
  const create = useMutation({
    mutationFn: () => apiSend<{ baseline: Info }>('POST', '/api/v1/baselines', { name, note: note || undefined }),
    onSuccess: async () => {
      setNote('');
      await refreshAfterChange(qc, ['baselines']);
    },
  });
  return (
    <section className="card" aria-labelledby="new-h">
      <h2 id="new-h">Snapshot the approved rules</h2>
      <form
        className="filters-row"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,99}" />
        </label>
        <label>
          Note (what changed, why)
          <input value={note} onChange={(e) => setNote(e.target.value)} size={40} />
        </label>
        <button type="submit" className="btn" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create baseline'}
        </button>
      </form>
      <p className="muted">Each snapshot of a name is its next version; stored versions never change.</p>
      {create.error && <ErrorBox error={create.error} />}
      {create.data && (
        <p role="status" className="notice">
          Created {create.data.baseline.name} v{create.data.baseline.version} with {num(create.data.baseline.ruleCount)} rules.
        </p>
      )}
    </section>
  );
}

function BaselineView({ refText, onClose }: { refText: string; onClose(): void }) {
  const q = useQuery({ queryKey: ['baseline-doc', refText], queryFn: ({ signal }) => apiGet<{ baseline: Info; document: BaselineDoc }>(`/api/v1/baselines/${encodeURIComponent(refText)}`, undefined, signal) });
  return (
    <section className="card" aria-labelledby="view-h">
      <div className="page-head">
        <h2 id="view-h">Baseline {refText}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      {q.error ? (
        <ErrorBox error={q.error} />
      ) : !q.data ? (
        <Loading what="Loading the baseline" />
      ) : (
        <>
          <p className="muted">
            {q.data.document.apiVersion} {q.data.document.kind} · generated {utc(q.data.document.metadata.generatedAt)}
            {q.data.document.metadata.window ? ` · discovery window ${utc(q.data.document.metadata.window.from)} – ${utc(q.data.document.metadata.window.to)}` : ''} ·{' '}
            {num(q.data.document.workloads.length)} workloads, {num(q.data.document.rules.length)} rules
          </p>
          <div className="table-wrap" tabIndex={0} style={{ maxHeight: '28rem', overflow: 'auto' }}>
            <table className="data compact">
              <TableHead columns={['From', 'To', 'Ports', 'Intent', 'Owner', 'Expires']} />
              <tbody>
                {q.data.document.rules.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <code>{selectorText(r.from)}</code>
                    </td>
                    <td>
                      <code>{selectorText(r.to)}</code>
                    </td>
                    <td>{r.ports.map(portText).join(' ')}</td>
                    <td>{r.intent}</td>
                    <td>{r.owner ?? '—'}</td>
                    <td>{r.expires ? utc(r.expires) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Diff({ baselines }: { baselines: Info[] }) {
  const url = useUrlState();
  const from = url.get('diffFrom') ?? (baselines[1] ? ref(baselines[1]) : '');
  const to = url.get('diffTo') ?? (baselines[0] ? ref(baselines[0]) : '');
  const q = useQuery({ queryKey: ['baseline-diff', from, to], queryFn: ({ signal }) => apiGet<BaselineDiff>('/api/v1/baselines/diff', { from, to }, signal), enabled: !!from && !!to && from !== to });
  const line = (r: { from: BaselineDoc['rules'][number]['from']; to: BaselineDoc['rules'][number]['to']; ports: BaselineDoc['rules'][number]['ports'] }) =>
    `${selectorText(r.from)} -> ${selectorText(r.to)} ${r.ports.map(portText).join(' ')}`;
  return (
    <section className="card" aria-labelledby="diff-h">
      <h2 id="diff-h">Difference between two versions</h2>
      <div className="filters-row">
        {(['diffFrom', 'diffTo'] as const).map((k) => (
          <label key={k}>
            {k === 'diffFrom' ? 'From' : 'To'}
            <select value={k === 'diffFrom' ? from : to} onChange={(e) => url.set({ [k]: e.target.value })}>
              {baselines.map((b) => (
                <option key={b.id} value={ref(b)}>
                  {b.name} v{b.version}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {from === to ? (
        <p className="muted">Choose two different versions.</p>
      ) : q.error ? (
        <ErrorBox error={q.error} />
      ) : !q.data ? (
        <Loading what="Comparing" />
      ) : (
        <>
          <p>
            {num(q.data.added.length)} added, {num(q.data.removed.length)} removed, {num(q.data.changed.length)} changed, {num(q.data.unchanged)} unchanged rules;{' '}
            {num(q.data.workloads.added.length)} workloads added, {num(q.data.workloads.removed.length)} removed, {num(q.data.workloads.relabelled.length)} relabelled.
          </p>
          <ul className="plain" style={{ fontFamily: 'ui-monospace, monospace', fontSize: '0.85rem' }} aria-label="Rule changes">
            {q.data.added.map((r) => (
              <li key={`a${r.id}`} className="diff-add">
                + {line(r)}
              </li>
            ))}
            {q.data.removed.map((r) => (
              <li key={`r${r.id}`} className="diff-remove">
                - {line(r)}
              </li>
            ))}
            {q.data.changed.map((c) => (
              <li key={`c${c.id}`} className="diff-change">
                ~ {line(c.before)} {'=>'} {line(c.after)} ({c.fields.join(', ')})
              </li>
            ))}
          </ul>
          {q.data.workloads.relabelled.length > 0 && (
            <>
              <h3>Relabelled workloads</h3>
              <ul>
                {q.data.workloads.relabelled.slice(0, 30).map((w) => (
                  <li key={w.name}>
                    {w.name}:{' '}
                    {Object.keys({ ...w.before, ...w.after })
                      .filter((k) => w.before[k] !== w.after[k])
                      .map((k) => `${k} ${w.before[k] ?? '∅'} → ${w.after[k] ?? '∅'}`)
                      .join(', ')}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

interface ExportResult {
  format: string;
  files: Array<{ name: string; content: string }>;
  exported: number;
  warnings: string[];
  /** what the export would drop of the enforced applications' observed traffic (null: nothing) */
  wouldBlock: { flows: number; dependencies: number; message: string } | null;
}

const PREVIEW_LIMIT = 200_000;

/** A choice kept in state and in the address (`key`), following the address when a link or Back changes it. */
function useMirrored(url: ReturnType<typeof useUrlState>, key: string, fallback: string): [string, (v: string) => void] {
  const inUrl = url.get(key) ?? fallback;
  const [value, setValue] = useState(inUrl);
  useEffect(() => setValue(inUrl), [inUrl]);
  const set = useCallback(
    (v: string) => {
      setValue(v);
      url.set({ [key]: v });
    },
    [url, key],
  );
  return [value, set];
}

function Export({ formats, baselines }: { formats: Array<{ id: string; description: string; directory: boolean }>; baselines: Info[] }) {
  const url = useUrlState();
  // the choices live here and are mirrored to the address: the address changes a moment after the
  // select does (a router transition), and a Preview pressed in that moment must use the new choice
  const [source, setSource] = useMirrored(url, 'source', 'approved');
  const [format, setFormat] = useMirrored(url, 'format', 'baseline');
  const [namespace, setNamespace] = useState('');
  const [labelPrefix, setLabelPrefix] = useState('');
  const [domain, setDomain] = useState('');
  const [json, setJson] = useState(false);
  const [file, setFile] = useState(0);
  const params = useMemo(
    () => ({
      format,
      ...(source.startsWith('baseline:') ? { baseline: source.slice(9) } : { status: source }),
      namespace: namespace || undefined,
      labelPrefix: labelPrefix || undefined,
      domain: domain || undefined,
      json: format === 'baseline' && json ? '1' : undefined,
    }),
    [format, source, namespace, labelPrefix, domain, json],
  );
  const preview = useMutation({ mutationFn: () => apiGet<ExportResult>('/api/v1/export', params), onSuccess: () => setFile(0) });
  // a preview belongs to the choices it was made with: another format, source or option clears it
  // rather than leaving one format's files under another's name
  const { reset } = preview;
  useEffect(() => reset(), [params, reset]);
  const f = formats.find((x) => x.id === format);
  const shown = preview.data?.files[file];

  const saveFile = (name: string, content: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <section className="card" aria-labelledby="exp-h">
      <h2 id="exp-h">Export</h2>
      <form
        className="filters-row"
        aria-label="Export"
        onSubmit={(e) => {
          e.preventDefault();
          preview.mutate();
        }}
      >
        <label>
          Rules
          <select value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="approved">approved rules (now)</option>
            <option value="proposed">proposed rules</option>
            <option value="all">approved and proposed</option>
            {baselines.map((b) => (
              <option key={b.id} value={`baseline:${ref(b)}`}>
                baseline {b.name} v{b.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value)}>
            {formats.map((x) => (
              <option key={x.id} value={x.id}>
                {x.id}
              </option>
            ))}
          </select>
        </label>
        {format === 'baseline' && (
          <label className="check">
            <input type="checkbox" checked={json} onChange={(e) => setJson(e.target.checked)} /> JSON instead of YAML
          </label>
        )}
        {/* Kubernetes and Cilium write each policy in its pods' namespace, by their own labels */}
        {['calico', 'calico-staged'].includes(format) && (
          <>
            {format === 'calico-staged' && (
              <label>
                Namespace
                <input value={namespace} onChange={(e) => setNamespace(e.target.value)} placeholder="cluster-wide" size={12} />
              </label>
            )}
            <label>
              Label prefix
              <input value={labelPrefix} onChange={(e) => setLabelPrefix(e.target.value)} placeholder="bulkhead.io/" size={14} />
            </label>
          </>
        )}
        {format === 'nsx' && (
          <label>
            NSX domain
            <input value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="default" size={12} />
          </label>
        )}
        <button type="submit" className="btn" disabled={preview.isPending}>
          {preview.isPending ? 'Generating…' : 'Preview'}
        </button>
        {f && !f.directory && (
          <a className="btn btn-secondary" href={withParams('/api/v1/export', { ...params, download: '1' })} download>
            Download
          </a>
        )}
        {/* a directory of files (one per host) downloads as one archive, the names as the directory export writes them */}
        {f?.directory && (
          <a className="btn btn-secondary" href={withParams('/api/v1/export', { ...params, archive: 'tar.gz' })} download>
            Download (.tar.gz)
          </a>
        )}
      </form>
      {f && <p className="muted">{f.description}</p>}
      {preview.error && <ErrorBox error={preview.error} />}
      {preview.data && (
        <>
          <p role="status">
            {num(preview.data.exported)} rules exported into {num(preview.data.files.length)} file{preview.data.files.length === 1 ? '' : 's'}.
          </p>
          {preview.data.warnings.length > 0 && (
            <div className="warning">
              <strong>What {preview.data.format} cannot express ({num(preview.data.warnings.length)}):</strong>
              <ul>
                {preview.data.warnings.slice(0, 30).map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          )}
          {preview.data.files.length > 1 && (
            <div className="actions" role="group" aria-label="Files">
              {preview.data.files.map((x, i) => (
                <button key={x.name} type="button" className="btn btn-small" aria-pressed={i === file} onClick={() => setFile(i)}>
                  {x.name}
                </button>
              ))}
            </div>
          )}
          {shown && (
            <>
              <p className="actions">
                <strong>{shown.name}</strong>
                <button type="button" className="btn btn-small" onClick={() => saveFile(shown.name, shown.content)}>
                  Save this file
                </button>
              </p>
              <pre aria-label={`Preview of ${shown.name}`} tabIndex={0}>
                {shown.content.length > PREVIEW_LIMIT ? `${shown.content.slice(0, PREVIEW_LIMIT)}\n… (${num(shown.content.length - PREVIEW_LIMIT)} more characters in the file)` : shown.content}
              </pre>
            </>
          )}
          <NextStep step={exportNext({ source, wouldBlock: preview.data.wouldBlock })} />
        </>
      )}
    </section>
  );
}
