'use server';
import { revalidatePath } from 'next/cache';
import { getApplication, setApplicationOwners } from '../../../lib/auth/ownership';
import { actionAuth, auditAs, runAction, type ActionState } from '../../_lib/auth';

export async function setOwners(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const a = await actionAuth(form, 'apps:owners');
    const app = await getApplication(a.rt.db.prisma, String(form.get('application') ?? ''));
    const owners = form.getAll('owners').map(String).filter(Boolean);
    const r = await setApplicationOwners(a.rt.db.prisma, app.id, owners);
    await auditAs(a, { action: 'application.owners', target: { type: 'application', id: app.id }, summary: `owners of ${app.name}: ${r.after.join(', ') || 'none'}`, before: r.before, after: r.after });
    revalidatePath('/admin/owners');
    return { ok: true, message: `${app.name}: ${r.after.length ? r.after.join(', ') : 'no owners'}.` };
  });
}
