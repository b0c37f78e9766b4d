// POST /api/v1/applications/{id}/rename { name }: members get the new app label; owners and rules follow.
import { editApplication } from '../../../../../_data/app-edit-route';
import { windowShape } from '../../../../../_data/window';
import { renameApplication } from '../../../../../../lib/applications/edit';
import { apiRoute, z } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const body = z.object({ ...windowShape, name: z.string().min(1).max(63) }).strict();

export const POST = apiRoute({ permission: 'inventory:write', body }, (ctx) => editApplication(ctx, (app, _r, audit) => renameApplication(ctx.rt.db.prisma, app, ctx.body.name, audit)));
