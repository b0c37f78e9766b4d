'use client';
// The time window of a page: presets for the usual questions (what happened today, this week,
// over a business cycle) and a custom range, kept in the URL.
import { useId, useState } from 'react';
import { useUrlState } from '../url-state';
import { PRESETS, type Preset, type WindowSpec } from '../window';

const LABELS: Record<Preset, string> = { '24h': '24 h', '7d': '7 days', '30d': '30 days' };

function localInput(iso: string) {
  return iso.slice(0, 16);
}

export function WindowPicker({ value }: { value: WindowSpec }) {
  const { set } = useUrlState();
  const id = useId();
  const [custom, setCustom] = useState(value.preset === null);
  const [from, setFrom] = useState(localInput(value.from));
  const [to, setTo] = useState(localInput(value.to));
  return (
    <fieldset className="window-picker">
      <legend>Time window (UTC)</legend>
      <div className="segmented" role="group" aria-label="Preset windows">
        {(Object.keys(PRESETS) as Preset[]).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={value.preset === p && !custom}
            onClick={() => {
              setCustom(false);
              set({ window: p, from: null, to: null });
            }}
          >
            {LABELS[p]}
          </button>
        ))}
        <button type="button" aria-pressed={custom} aria-controls={custom ? `${id}-custom` : undefined} onClick={() => setCustom(true)}>
          Custom
        </button>
      </div>
      {custom && (
        <form
          id={`${id}-custom`}
          className="window-custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (!from || !to) return;
            set({ window: null, from: `${from}:00Z`, to: `${to}:00Z` });
          }}
        >
          <label>
            From
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            To
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="btn btn-small">
            Apply
          </button>
        </form>
      )}
    </fieldset>
  );
}
