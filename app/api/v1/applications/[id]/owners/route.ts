// GET /api/v1/applications/:id/owners (id or name): who owns the application.
// PUT: replace its owners ({ "owners": [email or user id, ...] }); admins and architects.
import { applicationOwners, getApplication, setApplicationOwners } from '../../../../../../lib/auth/ownership';
import { apiRoute, z } from '../../../../_lib/route';

export const GET = apiRoute({ permission: 'map:read' }, async ({ rt, params }) => {
  const app = await getApplication(rt.db.prisma, params.id ?? '');
  return { application: { id: app.id, name: app.name }, owners: await applicationOwners(rt.db.prisma, app.id) };
});

export const PUT = apiRoute({ permission: 'apps:owners', body: z.object({ owners: z.array(z.string().min(1)).max(100) }).strict() }, async ({ rt, params, body, audit }) => {
  const app = await getApplication(rt.db.prisma, params.id ?? '');
  const r = await setApplicationOwners(rt.db.prisma, app.id, body.owners);
  await audit({ action: 'application.owners', target: { type: 'application', id: app.id }, summary: `owners of ${app.name}: ${r.after.join(', ') || 'none'}`, before: r.before, after: r.after });
  return { application: { id: app.id, name: app.name }, owners: await applicationOwners(rt.db.prisma, app.id) };
});
