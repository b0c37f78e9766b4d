// GET /api/v1/enforcement/:id (application id or name): its state per environment.
// PUT { "state": "visibility|test|enforced", "environment"?: ENV, "force"?: true }: change it in one
// environment (without one: the one its workloads are in). Enforced passes the readiness gate
// (409 while a would-block dependency is undecided: ./readiness/route.ts) unless forced (audited).
// App owners only for their applications, like rule approval; admins and architects for any.
// Audited by lib (policy.enforce).
import { getApplication } from '../../../../../lib/auth/ownership';
import { ENFORCEMENT_STATES, listEnforcement } from '../../../../../lib/policy/enforcement';
import { enforce } from '../../../../../lib/policy/readiness';
import { apiRoute, z } from '../../../_lib/route';
import { routeApplication, whoOf } from '../../_policy/common';

const body = z.object({ state: z.enum(ENFORCEMENT_STATES), environment: z.string().max(253).nullable().optional(), force: z.boolean().optional() }).strict();

export const GET = apiRoute({ permission: 'map:read' }, async ({ rt, params }) => {
  const app = await getApplication(rt.db.prisma, params.id ?? '');
  return { application: { id: app.id, name: app.name }, enforcement: await listEnforcement(rt.db.prisma, { applications: [app.id] }) };
});

export const PUT = apiRoute({ permission: 'policy:enforce', application: routeApplication, body }, async (ctx) => {
  const { rt, params, body } = ctx;
  return enforce(rt, { application: params.id ?? '', environment: body.environment ?? null, state: body.state }, whoOf(ctx), { force: body.force === true });
});
