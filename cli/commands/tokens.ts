// `bulkhead tokens ...`: API tokens for automation and for a CLI on another machine.
import type { Principal } from '../../lib/auth/principal';
import { roleAllows } from '../../lib/auth/permissions';
import { createApiToken, getApiToken, listApiTokens, revokeApiToken } from '../../lib/auth/tokens';
import { getUser } from '../../lib/auth/users';
import { UserError, type CommandContext } from '../context';
import { day } from './accounts-common';
import { table } from '../table';

interface Opts {
  user?: string;
  role?: string;
  expiresDays?: string;
  all?: boolean;
  json?: boolean;
}

const USAGE = 'bulkhead tokens create NAME --user EMAIL [--role ROLE] [--expires-days N] | list [--user EMAIL] [--all] | revoke ID|PREFIX';

/** People manage their own tokens; anyone else's needs users:admin (the local operator has it). */
async function mayManage(ctx: CommandContext, userId: string) {
  if (ctx.actor.userId !== userId) await ctx.authorize('users:admin');
}

const isAdminLike = (p: Principal) => roleAllows(p.role, 'users:admin');

export async function run(ctx: CommandContext, opts: Opts, args: string[]) {
  const [action, ...rest] = args;
  const db = (await ctx.runtime()).db.prisma;
  const out = (human: string, json: unknown) => ctx.io.out(opts.json ? JSON.stringify(json, null, 2) : human);
  switch (action) {
    case 'create': {
      const name = rest.join(' ').trim();
      if (!name) throw new UserError(`tokens create needs a name saying what it is for. ${USAGE}`);
      const userKey = opts.user ?? ctx.actor.userId;
      if (!userKey) throw new UserError('tokens create: whose token? Give --user EMAIL');
      const user = await getUser(db, userKey);
      await mayManage(ctx, user.id);
      const days = opts.expiresDays !== undefined ? Number(opts.expiresDays) : null;
      if (days !== null && !Number.isInteger(days)) throw new UserError(`--expires-days: "${opts.expiresDays}" is not a whole number of days`);
      const { token, record } = await createApiToken(db, { userId: user.id, name, role: opts.role, expiresInDays: days, maxRole: ctx.actor.role });
      await ctx.audit({ action: 'token.create', target: { type: 'token', id: record.id }, summary: `created API token "${record.name}" (${record.role}) for ${user.email}`, after: record });
      out(
        [
          `Token "${record.name}" for ${user.email}, role ${record.role}${record.expiresAt ? `, expires ${day(record.expiresAt)}` : ''}:`,
          token,
          'Shown once: only its hash is stored. Use it as',
          `  Authorization: Bearer ${token.slice(0, 10)}...   (JSON API)`,
          `  BULKHEAD_URL=<server URL> BULKHEAD_TOKEN=${token.slice(0, 10)}... bulkhead doctor   (CLI on another machine)`,
        ].join('\n'),
        { token, record },
      );
      return 0;
    }
    case 'list': {
      let userId: string | undefined;
      if (opts.user) {
        userId = (await getUser(db, opts.user)).id;
        await mayManage(ctx, userId);
      } else if (!isAdminLike(ctx.actor)) userId = ctx.actor.userId ?? undefined;
      const tokens = await listApiTokens(db, { userId, includeRevoked: opts.all });
      if (tokens.length === 0 && !opts.json) {
        ctx.io.out('No tokens. Create one: bulkhead tokens create "what it is for" --user EMAIL');
        return 0;
      }
      out(
        table([
          ['ID', 'PREFIX', 'NAME', 'USER', 'ROLE', 'STATE', 'CREATED', 'LAST USED', 'EXPIRES'],
          ...tokens.map((t) => [t.id, `${t.prefix}...`, t.name, t.user ?? '', t.role, t.state, day(t.createdAt), day(t.lastUsedAt), day(t.expiresAt)]),
        ]),
        tokens,
      );
      return 0;
    }
    case 'revoke': {
      const key = rest[0];
      if (!key) throw new UserError(`tokens revoke ID|PREFIX (bulkhead tokens list shows both)`);
      const t = await getApiToken(db, key.replace(/\.\.\.$/, ''));
      await mayManage(ctx, t.userId);
      const r = await revokeApiToken(db, t.id);
      await ctx.audit({ action: 'token.revoke', target: { type: 'token', id: t.id }, summary: `revoked API token "${t.name}" of ${t.user.email}`, before: r.before, after: r.after });
      out(`Revoked "${t.name}" of ${t.user.email}.`, r.after);
      return 0;
    }
    default:
      throw new UserError(action ? `unknown action "${action}". ${USAGE}` : USAGE);
  }
}
