// POST /api/v1/applications/{id}/split { workloads: [ids], name }: move some members to a new (or
// another) application.
import { editApplication } from '../../../../../_data/app-edit-route';
import { windowShape } from '../../../../../_data/window';
import { splitApplication } from '../../../../../../lib/applications/edit';
import { apiRoute, z } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const body = z.object({ ...windowShape, name: z.string().min(1).max(63), workloads: z.array(z.string().min(1).max(100)).min(1).max(10_000) }).strict();

export const POST = apiRoute({ permission: 'inventory:write', body }, (ctx) => editApplication(ctx, (app, _r, audit) => splitApplication(ctx.rt.db.prisma, app, ctx.body.workloads, ctx.body.name, audit)));
