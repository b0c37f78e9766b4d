// `bulkhead users ...`: accounts from the terminal, including the first admin. Passwords are
// generated (printed once) or read from standard input; never taken from the command line, where
// they would sit in shell history and the process list.
import { generatePassword } from '../../lib/auth/password';
import { createUser, deleteUser, getUser, listUsers, publicUser, setPassword, updateUser } from '../../lib/auth/users';
import { UserError, type CommandContext } from '../context';
import { day, signInUrl } from './accounts-common';
import { table } from '../table';
import { count } from '../../lib/words';

interface Opts {
  role?: string;
  admin?: boolean;
  name?: string;
  passwordStdin?: boolean;
  ssoOnly?: boolean;
  disable?: boolean;
  enable?: boolean;
  yes?: boolean;
  json?: boolean;
}

const USAGE = 'bulkhead users list | add EMAIL --role ROLE | add --admin EMAIL | set EMAIL ... | passwd EMAIL | remove EMAIL --yes (bulkhead help users)';

async function passwordFrom(ctx: CommandContext, opts: Opts): Promise<{ password: string; generated: boolean }> {
  if (!opts.passwordStdin) return { password: generatePassword(), generated: true };
  const text = (await ctx.stdin()).replace(/\r?\n$/, '');
  if (!text) throw new UserError('--password-stdin: standard input is empty (example: printf %s "$PASSWORD" | bulkhead users add ... --password-stdin)');
  return { password: text, generated: false };
}

export async function run(ctx: CommandContext, opts: Opts, args: string[]) {
  const [action, ...rest] = args;
  const db = (await ctx.runtime()).db.prisma;
  const out = (human: string, json: unknown) => ctx.io.out(opts.json ? JSON.stringify(json, null, 2) : human);
  switch (action) {
    case 'list': {
      const users = await listUsers(db);
      if (users.length === 0 && !opts.json) {
        ctx.io.out('No users yet. Create the first admin: bulkhead users add --admin you@example.com');
        return 0;
      }
      out(
        table([
          ['EMAIL', 'ROLE', 'STATE', 'LAST SIGN-IN', 'SESSIONS', 'TOKENS', 'OWNS'],
          ...users.map((u) => [u.email, u.role, u.disabled ? 'disabled' : 'active', day(u.lastLoginAt), String(u.sessions), String(u.tokens), u.applications.map((a) => a.name).join(',') || '-']),
        ]),
        users,
      );
      return 0;
    }
    case 'add': {
      const email = rest[0];
      const role = opts.admin ? 'admin' : opts.role;
      if (!email || rest.length > 1) throw new UserError(`users add takes one email. ${USAGE}`);
      if (!role) throw new UserError('users add: give --role admin|architect|owner|viewer, or --admin');
      if (opts.ssoOnly && opts.passwordStdin) throw new UserError('--sso-only and --password-stdin exclude each other');
      const pw = opts.ssoOnly ? null : await passwordFrom(ctx, opts);
      const u = await createUser(db, { email, name: opts.name ?? null, role, password: pw?.password ?? null });
      await ctx.audit({ action: 'user.create', target: { type: 'user', id: u.id }, summary: `created ${u.email} (${u.role})`, after: publicUser(u) });
      const shown = pw?.generated ? pw.password : undefined;
      out(
        [
          `Created ${u.email} (${u.role}).`,
          ...(shown ? [`Password (shown once, not stored): ${shown}`] : []),
          opts.ssoOnly ? 'They sign in with single sign-on.' : `Next: sign in at ${signInUrl(ctx)} and change the password on the account page.`,
        ].join('\n'),
        { user: publicUser(u), ...(shown ? { password: shown } : {}) },
      );
      return 0;
    }
    case 'set': {
      const email = rest[0];
      if (!email) throw new UserError(`users set EMAIL --role ROLE | --name NAME | --disable | --enable`);
      if (opts.disable && opts.enable) throw new UserError('--disable and --enable exclude each other');
      const change = { role: opts.admin ? 'admin' : opts.role, name: opts.name, disabled: opts.disable ? true : opts.enable ? false : undefined };
      if (Object.values(change).every((v) => v === undefined)) throw new UserError('users set: nothing to change (--role, --name, --disable, --enable)');
      const target = await getUser(db, email);
      if (ctx.actor.userId === target.id && (change.disabled || (change.role && change.role !== 'admin'))) throw new UserError('you cannot demote or disable yourself; ask another admin');
      const r = await updateUser(db, target.id, change);
      const what = [change.role && `role ${r.before.role} -> ${r.after.role}`, change.name && `name ${r.after.name}`, change.disabled === true && 'disabled (signed out everywhere)', change.disabled === false && 'enabled']
        .filter(Boolean)
        .join(', ');
      await ctx.audit({ action: 'user.update', target: { type: 'user', id: r.after.id }, summary: `${r.after.email}: ${what}`, before: r.before, after: r.after });
      out(`${r.after.email}: ${what}.`, r.after);
      return 0;
    }
    case 'passwd': {
      const email = rest[0];
      if (!email) throw new UserError('users passwd EMAIL [--password-stdin]');
      const pw = await passwordFrom(ctx, opts);
      const r = await setPassword(db, email, pw.password);
      await ctx.audit({ action: 'user.password', target: { type: 'user', id: r.user.id }, summary: `reset the password of ${r.user.email}; ${count(r.sessionsEnded, 'session')} ended` });
      out(
        [`New password for ${r.user.email}; ${count(r.sessionsEnded, 'session')} signed out.`, ...(pw.generated ? [`Password (shown once): ${pw.password}`] : [])].join('\n'),
        { user: r.user, sessionsEnded: r.sessionsEnded, ...(pw.generated ? { password: pw.password } : {}) },
      );
      return 0;
    }
    case 'remove': {
      const email = rest[0];
      if (!email) throw new UserError('users remove EMAIL --yes');
      const target = await getUser(db, email);
      if (!opts.yes) throw new UserError(`users remove deletes ${target.email} with their sessions, tokens and application ownerships (the audit log keeps their actions). Add --yes to do it, or disable instead: bulkhead users set ${target.email} --disable`);
      if (ctx.actor.userId === target.id) throw new UserError('you cannot delete yourself');
      const gone = await deleteUser(db, target.id);
      await ctx.audit({ action: 'user.delete', target: { type: 'user', id: gone.id }, summary: `deleted ${gone.email}`, before: gone });
      out(`Deleted ${gone.email}.`, { deleted: gone });
      return 0;
    }
    default:
      throw new UserError(action ? `unknown action "${action}". ${USAGE}` : USAGE);
  }
}
