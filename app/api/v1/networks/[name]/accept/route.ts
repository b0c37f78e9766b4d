// POST /api/v1/networks/NAME/accept { as?, cidr?, kind? }: accept a network discovery suggested
// for unknown clients, optionally renamed or narrowed to a range inside the suggestion; from then
// on it groups its addresses like any named network.
import { acceptNetworkSuggestion, USER_NETWORK_KINDS } from '../../../../../../lib/identity/networks';
import { apiRoute, z } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const body = z
  .object({
    as: z.string().trim().min(1).max(100).optional(),
    cidr: z.string().trim().max(64).optional(),
    kind: z.enum(USER_NETWORK_KINDS).optional(),
  })
  .strict();

export const POST = apiRoute({ permission: 'inventory:write', body }, async ({ rt, params, body, audit }) => {
  const name = decodeURIComponent(params.name ?? '');
  const { before, after, ranges } = await acceptNetworkSuggestion(rt.db.prisma, rt.store, name, body);
  await audit({ action: 'network.change', target: { type: 'network', id: after.id }, summary: `accepted suggested network ${name} as ${after.name} (${after.kind}): ${after.cidrs}`, before: before ?? undefined, after });
  return { network: after, ranges };
});
