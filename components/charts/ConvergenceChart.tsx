'use client';
// New dependencies found per day (bars) and all known so far (line): discovery has converged
// when the bars have stayed near zero for a week.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { num } from '../format';

export function ConvergenceChart({ days, height = 240 }: { days: Array<{ day: string; newEdges: number; cumulative: number }>; height?: number }) {
  if (!days.length) return <p className="muted">No dependencies in this window.</p>;
  const last7 = days.slice(-7).reduce((s, d) => s + d.newEdges, 0);
  const total = days[days.length - 1]!.cumulative;
  const summary = `Convergence: ${num(total)} dependencies over ${days.length} days; ${num(last7)} new in the last 7 days (${total ? ((last7 / total) * 100).toFixed(1) : 0}%).`;
  return (
    <div className="chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e1e5ea" />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} tick={{ fontSize: 11, fill: '#57606a' }} minTickGap={16} />
          <YAxis yAxisId="new" tick={{ fontSize: 11, fill: '#57606a' }} width={44} />
          <YAxis yAxisId="all" orientation="right" tick={{ fontSize: 11, fill: '#57606a' }} width={48} />
          <Tooltip formatter={(v, name) => [num(Number(v)), name === 'newEdges' ? 'new that day' : 'known at the end of the day']} />
          <Legend formatter={(v) => <span style={{ color: '#1b1f24' }}>{v === 'newEdges' ? 'new dependencies that day' : 'dependencies known so far'}</span>} />
          <Bar yAxisId="new" dataKey="newEdges" fill="#5b8fd0" isAnimationActive={false} />
          <Line yAxisId="all" dataKey="cumulative" stroke="#1b3a5c" dot={false} strokeWidth={2} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
