'use client';
// Flows (and bytes) over time as an area chart. The chart is a picture for sighted users; its
// label states the totals and the peak so that a screen reader gets the same answer.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from '../data/edge';
import { bytes as fmtBytes, compact, num, utc } from '../format';

export function FlowSeriesChart({ series, bucket, label, height = 180, metric = 'flows' }: { series: SeriesPoint[]; bucket: 'hour' | 'day' | 'minute'; label: string; height?: number; metric?: 'flows' | 'bytes' }) {
  if (!series.length) return <p className="muted">No traffic in this window.</p>;
  const total = series.reduce((s, p) => s + p[metric], 0);
  const peak = series.reduce((m, p) => (p[metric] > m[metric] ? p : m), series[0]!);
  const fmt = metric === 'bytes' ? fmtBytes : compact;
  const tick = (t: string) => (bucket === 'day' ? t.slice(5, 10) : t.slice(11, 16));
  const summary = `${label}: ${metric === 'bytes' ? fmtBytes(total) : `${num(total)} flows`} in ${series.length} ${bucket}s; peak ${fmt(peak[metric])} at ${utc(peak.t)}.`;
  return (
    <div className="chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart data={series} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e1e5ea" />
          <XAxis dataKey="t" tickFormatter={tick} tick={{ fontSize: 11, fill: '#57606a' }} minTickGap={24} />
          <YAxis tickFormatter={(v: number) => fmt(v)} tick={{ fontSize: 11, fill: '#57606a' }} width={48} />
          <Tooltip labelFormatter={(t) => utc(String(t))} formatter={(v) => [metric === 'bytes' ? fmtBytes(Number(v)) : num(Number(v)), metric]} />
          <Area type="monotone" dataKey={metric} stroke="#0b5cad" fill="#9cc3ea" isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
