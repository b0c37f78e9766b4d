// What the read commands (flows, edge) share: the window options as the other commands take them
// (--from, --to, --days), and the window's analysis with its progress shown while it runs.
import type { AnalysisResult } from '../../lib/analysis/types';
import { analysisFor } from '../../lib/read/analysis';
import type { Runtime } from '../../lib/runtime';
import type { CommandContext } from '../context';
import { numberOption } from './policy-common';

export interface WindowOptions {
  from?: string;
  to?: string;
  days?: string;
}

/** The window of the options, unresolved: lib/analysis/window.ts resolves it and refuses an empty one. */
export function windowOption(opts: WindowOptions, defaultDays: number): { from?: string; to?: string; days: number } {
  return { from: opts.from, to: opts.to, days: numberOption(opts.days, '--days') ?? defaultDays };
}

/**
 * The analysis of a window, shared with the pages when the command runs inside the server
 * (lib/read/analysis.ts), with a progress bar while it is computed.
 */
export async function windowAnalysis(ctx: CommandContext, rt: Runtime, window: { from?: string; to?: string; days: number }): Promise<AnalysisResult> {
  let s = await analysisFor(rt, window, { waitMs: 200 });
  if (s.ready) return s.result;
  const bar = ctx.io.progress('Analyzing', s.progress.total, 'steps');
  try {
    while (!s.ready) {
      bar.update(s.progress.done, s.progress.total);
      s = await analysisFor(rt, window, { waitMs: 500 });
    }
  } finally {
    bar.stop();
  }
  return s.result;
}
