// Review by application and environment in a real browser against `bulkhead serve` (signed in as
// admin, e2e/auth.setup.ts), on the demo estate as e2e/ui.spec.ts loads it: the Rules page lists
// app@env units; one opens with what reaches it and what it reaches; "Approve all" approves both
// directions and refuses, with the reason, the rules over an application discovery inferred and
// nobody confirmed; confirming that application from the review lets them through.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { ReviewUnitJson, UnitReviewJson } from '../lib/read/review';
import { cli } from './accounts';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1600, height: 1000 } });

test('review one application in one environment, both directions, with the unconfirmed gate', async ({ page }) => {
  test.setTimeout(480_000);
  // alone, this spec loads the demo; in a full run ui.spec.ts has loaded it already
  const demo = cli(['demo', '--json']);
  if (demo.code !== 0) expect(demo.err + demo.out).toMatch(/already loaded/);

  await page.goto('/rules');
  await page.getByText('Propose rules from discovery').click();
  await page.getByRole('button', { name: 'Propose', exact: true }).click();
  await expect(page.getByText(/^Saved: [\d,]+ rules from/)).toBeVisible({ timeout: 180_000 });

  // a unit with rules both ways, some of them over an inferred application nobody confirmed
  const { units } = (await (await page.request.get('/api/v1/rules/review')).json()) as { units: ReviewUnitJson[] };
  const both = units.filter((u) => u.counts.inbound.proposed > 0 && u.counts.outbound.proposed > 0 && !u.unconfirmed).sort((a, b) => b.toReview - a.toReview || a.unit.localeCompare(b.unit));
  let unit: ReviewUnitJson | null = null;
  for (const u of both) {
    const d = (await (await page.request.get(`/api/v1/rules/review?unit=${encodeURIComponent(u.unit)}&status=proposed`)).json()) as UnitReviewJson;
    const free = (dir: string) => d.rules.some((r) => !r.blocked && r.direction === dir);
    if (d.unconfirmed.length && free('inbound') && free('outbound')) {
      unit = u;
      break;
    }
  }
  expect(unit, 'a demo application with approvable inbound and outbound proposals and some over an unconfirmed inferred application').not.toBeNull();
  const name = unit!.unit;

  // the page lists the units; one opens at a time
  await page.goto('/rules');
  const table = page.getByRole('table', { name: 'Applications to review' });
  await expect(table).toBeVisible({ timeout: 30_000 });
  await table.getByRole('button', { name: `Review ${name}`, exact: true }).click();
  const inbound = page.getByRole('region', { name: `Inbound rules of ${name}` });
  const outbound = page.getByRole('region', { name: `Outbound rules of ${name}` });
  await expect(inbound.getByRole('article').first()).toBeVisible({ timeout: 30_000 });
  await expect(outbound.getByRole('article').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Unconfirmed applications' })).toBeVisible();
  await expect(page.getByText(/^Cannot be approved yet: it relies on an? applications? discovery inferred/).first()).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);

  const before = (await (await page.request.get(`/api/v1/rules/review?unit=${encodeURIComponent(name)}&status=proposed`)).json()) as UnitReviewJson;
  const gated = before.rules.filter((r) => r.blocked).map((r) => r.id).sort();
  expect(gated.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: /^Approve all [\d,]+ proposed$/ }).click();
  const dialog = page.getByRole('dialog', { name: /^Approve \d+ rules?$/ });
  await dialog.getByLabel(/^Comment/).fill('reviewed by application in the e2e journey');
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  // the dialog stays open and says what was refused and why
  await expect(dialog.getByRole('status')).toContainText(`Refused ${gated.length}:`, { timeout: 60_000 });
  await expect(dialog.getByRole('status')).toContainText('discovery inferred and nobody confirmed');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // everything else of both directions is approved; the gated rules wait
  const after = (await (await page.request.get(`/api/v1/rules/review?unit=${encodeURIComponent(name)}&status=proposed`)).json()) as UnitReviewJson;
  expect(after.rules.map((r) => r.id).sort()).toEqual(gated);
  const approved = (await (await page.request.get(`/api/v1/rules/review?unit=${encodeURIComponent(name)}&status=approved`)).json()) as UnitReviewJson;
  expect(approved.rules.some((r) => r.direction === 'inbound')).toBe(true);
  expect(approved.rules.some((r) => r.direction === 'outbound')).toBe(true);

  // confirming the inferred application from the review lets its rules through
  const first = after.unconfirmed.find((a) => a.units.length === 1) ?? after.unconfirmed[0]!;
  const target = first.units[0]!;
  await page.getByRole('button', { name: `Confirm ${target}`, exact: true }).click();
  await expect(page.getByText(`Confirmed ${first.application}:`)).toBeVisible({ timeout: 180_000 });
  const lifted = (await (await page.request.get(`/api/v1/rules/review?unit=${encodeURIComponent(name)}&status=proposed`)).json()) as UnitReviewJson;
  expect(lifted.rules.filter((r) => r.blocked?.includes(target))).toEqual([]);
  if (first.units.length === 1) expect(lifted.unconfirmed.map((a) => a.application)).not.toContain(first.application);
});
