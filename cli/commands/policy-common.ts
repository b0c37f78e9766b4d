// What the policy commands (propose, rules, simulate, blast-radius, export, baselines, import
// baseline) share: the actor as lib/policy's Who, application-owner checks, and number
// formatting. (lib/policy's errors reach the terminal through cli/main.ts's one mapping.)
import { mayActOnApplication } from '../../lib/auth/ownership';
import type { Who } from '../../lib/policy/workflow';
import { UserError, type CommandContext } from '../context';

export function who(ctx: CommandContext, command: string): Who {
  return { actor: ctx.actor, via: 'cli', userAgent: `bulkhead ${command}` };
}

/** Refuse (audited) unless the actor may review rules of this application (owners: only their own). */
export async function requireReview(ctx: CommandContext, applicationId: string | null, what: string): Promise<void> {
  await ctx.authorize('rules:review');
  const db = (await ctx.runtime()).db.prisma;
  if (await mayActOnApplication(db, ctx.actor, 'rules:review', applicationId)) return;
  await ctx.audit({ action: 'auth.denied', target: { type: 'rule', id: what }, summary: `rules:review: ${ctx.actor.name} does not own the application of ${what}`, outcome: 'denied' });
  throw new UserError(`${ctx.actor.name} may review only rules of applications they own (${what} belongs to another application, or to none)`, 3);
}

export const n = (x: number) => Math.round(x).toLocaleString('en-US');
export const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;

/** An ISO time or date from an option; undefined when not given. */
export function timeOption(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t}Z` : t);
  if (Number.isNaN(d.getTime())) throw new UserError(`${name}: "${text}" is not a date or time (ISO 8601, e.g. 2026-03-01 or 2026-03-01T12:00:00Z; UTC unless it says otherwise)`);
  return d;
}

export function numberOption(text: string | undefined, name: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    throw new UserError(`${name}: "${text}" is not ${opts.integer ? 'a whole number' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}${opts.max !== undefined ? ` <= ${opts.max}` : ''}`);
  }
  return v;
}
