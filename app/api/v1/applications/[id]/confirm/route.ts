// POST /api/v1/applications/{id}/confirm: make discovery's grouping a fact (app and env labels of
// the members become user labels; the application is marked confirmed).
import { editApplication } from '../../../../../_data/app-edit-route';
import { windowShape } from '../../../../../_data/window';
import { confirmApplication } from '../../../../../../lib/applications/edit';
import { apiRoute, z } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const body = z.object({ ...windowShape }).strict();

export const POST = apiRoute({ permission: 'inventory:write', body }, (ctx) => editApplication(ctx, (app, _r, audit) => confirmApplication(ctx.rt.db.prisma, app, audit)));
