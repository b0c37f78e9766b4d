// GET /api/v1/networks: the named networks people defined (or accepted), the networks discovery
// suggests for unknown clients (POST /api/v1/networks/NAME/accept), and the built-in classes that
// group addresses no inventory names. POST: create one, or add CIDRs to it ({ name, kind, cidrs,
// replace? }); ClickHouse's copy is replaced at once, so the map groups by it immediately.
import { BUILTIN_NETWORKS, loadNamedNetworks, loadNetworkSuggestions, saveNamedNetwork, USER_NETWORK_KINDS } from '../../../../lib/identity/networks';
import { apiRoute, z } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ permission: 'map:read' }, async ({ rt }) => ({
  networks: await loadNamedNetworks(rt.db.prisma),
  suggested: await loadNetworkSuggestions(rt.db.prisma),
  builtin: BUILTIN_NETWORKS,
  kinds: USER_NETWORK_KINDS,
}));

const body = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(USER_NETWORK_KINDS).optional(),
    cidrs: z.array(z.string().max(64)).min(1).max(10_000),
    replace: z.boolean().optional(),
  })
  .strict();

export const POST = apiRoute({ permission: 'inventory:write', body }, async ({ rt, body, audit }) => {
  const { before, after, ranges } = await saveNamedNetwork(rt.db.prisma, rt.store, body, { replace: body.replace });
  await audit({ action: 'network.change', target: { type: 'network', id: after.id }, summary: `${before ? 'changed' : 'added'} named network ${after.name} (${after.kind}): ${after.cidrs}`, before: before ?? undefined, after });
  return { network: after, created: !before, ranges };
});
