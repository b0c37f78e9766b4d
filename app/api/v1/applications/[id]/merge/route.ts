// POST /api/v1/applications/{id}/merge { into }: the application's members join another application.
import { editApplication } from '../../../../../_data/app-edit-route';
import { appRef } from '../../../../../../lib/read/apps';
import { windowShape } from '../../../../../_data/window';
import { mergeApplications } from '../../../../../../lib/applications/edit';
import { ApiError, apiRoute, z } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const body = z.object({ ...windowShape, into: z.string().min(1).max(200) }).strict();

export const POST = apiRoute({ permission: 'inventory:write', body }, (ctx) =>
  editApplication(ctx, (app, r, audit) => {
    const into = appRef(r, ctx.body.into);
    if (!into) throw new ApiError(404, `into: no application ${ctx.body.into} in this window`);
    return mergeApplications(ctx.rt.db.prisma, app, into, audit);
  }),
);
