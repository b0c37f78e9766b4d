// What a running process costs, from /proc (Linux): CPU seconds and resident memory.
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system), resident memory now and at its peak (VmHWM), MB; null once it is gone. */
export function procStats(pid: number): { cpu: number; rssMB: number; hwmMB: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(f[11]) + Number(f[12])) / 100;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { cpu, rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}
