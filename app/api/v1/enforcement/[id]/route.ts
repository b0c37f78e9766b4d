// GET /api/v1/enforcement/:id (application id or name): its state per environment.
// PUT { "state": "visibility|test|enforced", "environment"?: ENV }: change it in one environment
// (without one: the one its workloads are in). App owners only for their applications, like rule
// approval; admins and architects for any. Audited by lib (policy.enforce).
import { getApplication } from '../../../../../lib/auth/ownership';
import { ENFORCEMENT_STATES, listEnforcement, setEnforcement } from '../../../../../lib/policy/enforcement';
import { apiRoute, z, type ScopeContext } from '../../../_lib/route';
import { whoOf } from '../../_policy/common';

const body = z.object({ state: z.enum(ENFORCEMENT_STATES), environment: z.string().max(253).nullable().optional() }).strict();

/** The application in the route (null when there is none: only admins and architects pass). */
async function routeApplication({ rt, params }: ScopeContext): Promise<string | null> {
  try {
    return (await getApplication(rt.db.prisma, params.id ?? '')).id;
  } catch {
    return null;
  }
}

export const GET = apiRoute({ permission: 'map:read' }, async ({ rt, params }) => {
  const app = await getApplication(rt.db.prisma, params.id ?? '');
  return { application: { id: app.id, name: app.name }, enforcement: await listEnforcement(rt.db.prisma, { applications: [app.id] }) };
});

export const PUT = apiRoute({ permission: 'policy:enforce', application: routeApplication, body }, async (ctx) => {
  const { rt, params, body } = ctx;
  return setEnforcement(rt.db.prisma, { application: params.id ?? '', environment: body.environment ?? null, state: body.state }, whoOf(ctx));
});
