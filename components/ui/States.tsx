// Loading, failure and empty states shared by the pages: each says what is happening or what to
// do next, and is announced to screen readers (status / alert regions).
import type { ReactNode } from 'react';
import { STEP_LABELS, type AnalysisProgress } from '../data/progress';
import { duration } from '../format';

export function Loading({ what, detail }: { what: string; detail?: ReactNode }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <div>
        <strong>{what}…</strong>
        {detail && <div className="muted">{detail}</div>}
      </div>
    </div>
  );
}

/** A running discovery analysis: which step, how far, for how long. */
export function AnalysisRunning({ progress, what = 'Analysing flows' }: { progress: AnalysisProgress; what?: string }) {
  const elapsed = Date.now() - progress.startedAt;
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <div className="grow">
        <strong>{what}…</strong>
        <div className="muted">
          Step {Math.min(progress.done + 1, progress.total)} of {progress.total}: {STEP_LABELS[progress.step]} · {duration(elapsed)}
        </div>
        <progress max={progress.total} value={progress.done} aria-label={`${what}: step ${progress.done} of ${progress.total}`} />
      </div>
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert">
      <strong>That did not work.</strong> {message}
      {retry && (
        <button type="button" className="btn btn-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** What to do when there is no traffic yet: the three ways data gets in. */
/** exportTo: where exporters can send flows (lib/flow/collector-status exporterPortsText); null when no collector listens; absent where the page does not know. */
export function NoDataNextSteps({ exportTo }: { exportTo?: string | null }) {
  return (
    <ul className="next-steps">
      <li>
        <strong>Try it with a demo estate:</strong> <code>npx bulkhead demo</code> loads about 300 workloads and five weeks of flows with known answers.
      </li>
      <li>
        <strong>Point exporters here:</strong>{' '}
        {exportTo === undefined ? (
          <>
            to the UDP ports the collectors listen on (<a href="/">the overview</a> lists them)
          </>
        ) : exportTo === null ? (
          <>
            no flow collector listens in this server (started with <code>--no-collect</code>, or every collector port is 0): start it with the collectors to receive NetFlow, IPFIX or sFlow
          </>
        ) : (
          <>{exportTo} of this host</>
        )}{' '}
        (routers, vSphere/NSX, Open vSwitch, softflowd). <a href="/discovery/exporters">See what arrives</a>.
      </li>
      <li>
        <strong>Import flow logs:</strong> <code>npx bulkhead import aws|gcp|azure PATH</code> for VPC flow logs, and your inventory with <code>npx bulkhead import inventory FILE</code> (or{' '}
        <a href="/workloads?import=1">upload it here</a>).
      </li>
    </ul>
  );
}
