// DELETE /api/v1/networks/NAME: remove a named network (its addresses fall back to the
// built-in classes: private (unnamed), internet, ...).
import { removeNamedNetwork } from '../../../../../lib/identity/networks';
import { ApiError, apiRoute } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const DELETE = apiRoute({ permission: 'inventory:write' }, async ({ rt, params, audit }) => {
  const raw = params.name ?? '';
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // already decoded (a name with a literal %)
  }
  const gone = await removeNamedNetwork(rt.db.prisma, rt.store, name);
  if (!gone) throw new ApiError(404, `no named network "${name}"`);
  await audit({ action: 'network.change', target: { type: 'network', id: gone.id }, summary: `removed named network ${name}`, before: gone });
  return { removed: gone };
});
