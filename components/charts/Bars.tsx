'use client';
// Grouped or stacked bars for comparisons (flat vs proposed vs approved, allowed vs blocked):
// the label states every value so a screen reader gets the same comparison.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { compact } from '../format';

export interface BarSeries {
  key: string;
  label: string;
  color: string;
}

export function Bars({
  data,
  series,
  label,
  height = 220,
  stacked = false,
  layout = 'horizontal',
  format = compact,
}: {
  data: Array<Record<string, string | number>>;
  series: BarSeries[];
  label: string;
  height?: number;
  stacked?: boolean;
  layout?: 'horizontal' | 'vertical';
  format?: (n: number) => string;
}) {
  const summary = `${label}: ${data.map((d) => `${d.name}: ${series.map((s) => `${s.label} ${format(Number(d[s.key] ?? 0))}`).join(', ')}`).join('; ')}.`;
  const vertical = layout === 'vertical';
  return (
    <div className="chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout={vertical ? 'vertical' : 'horizontal'} margin={{ top: 6, right: 12, bottom: 0, left: vertical ? 8 : 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e1e5ea" />
          {vertical ? (
            <>
              <XAxis type="number" tickFormatter={(v: number) => format(v)} tick={{ fontSize: 11, fill: '#57606a' }} />
              <YAxis type="category" dataKey="name" tick={{ fontSize: 11, fill: '#1b1f24' }} width={140} />
            </>
          ) : (
            <>
              <XAxis dataKey="name" tick={{ fontSize: 12, fill: '#1b1f24' }} />
              <YAxis tickFormatter={(v: number) => format(v)} tick={{ fontSize: 11, fill: '#57606a' }} width={52} />
            </>
          )}
          <Tooltip formatter={(v, name) => [format(Number(v)), series.find((s) => s.key === name)?.label ?? String(name)]} />
          {series.length > 1 && <Legend formatter={(v) => <span style={{ color: '#1b1f24' }}>{series.find((s) => s.key === v)?.label ?? v}</span>} />}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} fill={s.color} stackId={stacked ? 'a' : undefined} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
