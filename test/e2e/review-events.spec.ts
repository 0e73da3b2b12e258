/// <reference lib="dom" />
/**
 * Keyboard review while the queue changes under it, in Chromium through a real browser host and its own demo
 * directory: between two decisions a sync brings in changes of persons listed before the focused item (as the
 * automatic sync after an outbox send does). A decisive key must act on the focused item, never on whatever now sits
 * at its index, and the focus must move on to the next item, also after the reject dialog.
 */
import { test, expect, type Page } from '@playwright/test';
import type { IdentityChangeData } from '../../shared/directory/wire';
import { demoOperator } from './fixtures';
import { armKeystrokeProbe, focusedItemId, keystrokeToNextItem } from './keystroke-probe';
import { startReviewDemo, type ReviewDemo } from './review-demo';

let demo: ReviewDemo;

test.beforeAll(async () => {
  demo = await startReviewDemo({ seed: 23, pupils: 150, changes: 8, newFirstName: (name) => `${name}-Louise` });
});

test.afterAll(async () => {
  await demo?.close();
});

const api = <T,>(method: string, input: unknown = {}): Promise<T> => demo.api<T>(method, input);

interface Item {
  id: number;
  personLabel: string;
  state: string;
}

/**
 * Adds a FranceConnect first-name change to the guardian, among those with no change yet, whose label sorts first
 * (the queue is ordered by label): its item lands before every item already listed.
 */
function addChangeBeforeAll(uai: string, n: number): void {
  const store = demo.directory.store;
  const guardians = store.db
    .prepare(
      `SELECT id, data FROM records r WHERE uai = ? AND type = 'guardian' AND deleted = 0
         AND NOT EXISTS (SELECT 1 FROM records c WHERE c.uai = r.uai AND c.type = 'identityChange'
                           AND json_extract(c.data, '$.personId') = r.id)`,
    )
    .all(uai) as { id: string; data: string }[];
  const label = (data: { lastName: string; usageName: string | null; firstName: string }) =>
    `${(data.usageName || data.lastName).toLocaleUpperCase('fr')} ${data.firstName}`;
  const first = guardians
    .map((g) => ({ id: g.id, data: JSON.parse(g.data) as { lastName: string; usageName: string | null; firstName: string } }))
    .sort((a, b) => (label(a.data) < label(b.data) ? -1 : 1))[0]!;
  const change: IdentityChangeData = {
    uai,
    personKind: 'guardian',
    personId: first.id,
    field: 'firstName',
    previousValue: first.data.firstName,
    newValue: first.data.firstName.toUpperCase(),
    source: 'franceconnect',
    detectedAt: `2025-09-2${n}T09:00:00Z`,
    status: 'open',
  };
  store.transaction(() => store.put(uai, 'identityChange', `chg-e2e-before-${n}`, change));
}

/** A sync that brings one new item before the focused one, waited for until the page shows it. */
async function insertItemBefore(page: Page, uai: string, n: number): Promise<void> {
  const before = await page.getByTestId('review-item').count();
  addChangeBeforeAll(uai, n);
  await api('sync.run', { uai });
  await expect(page.getByTestId('review-item')).toHaveCount(before + 1);
}

test('decides the focused item and moves on when a sync inserts items before it', async ({ page }) => {
  test.setTimeout(120_000);
  const operator = demoOperator('chef.demo');
  await api('auth.signIn', { login: operator.login, password: operator.password });
  const uai = demo.directory.establishments[0]!.uai;
  await api('sync.run', { uai });
  await expect.poll(async () => (await api<{ pending: number }>('review.counts', { uai })).pending, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);

  await page.goto(`${demo.host.url}/#token=${demo.host.token}`);
  await page.getByRole('link', { name: /À examiner/ }).click();
  await expect(page.getByTestId('review-item').first()).toBeVisible();
  for (let i = 0; i < 40 && (await focusedItemId(page)) === null; i++) await page.keyboard.press('Tab');
  // Start on the second item so that an item inserted at the top shifts the focused one.
  await page.keyboard.press('j');
  const state = async (id: string) =>
    (await api<{ items: Item[] }>('review.list', { uai, limit: 500 })).items.find((i) => String(i.id) === id)?.state;

  const inserted: string[] = [];
  for (let round = 0; round < 3; round++) {
    const focused = (await focusedItemId(page))!;
    expect(focused).not.toBeNull();
    await insertItemBefore(page, uai, round);
    const top = (await page.getByTestId('review-item').first().getAttribute('data-item-id'))!;
    expect(top).not.toBe(focused);
    inserted.push(top);
    // The sync re-rendered the list: the focus and the current mark stay on the same item.
    expect(await focusedItemId(page)).toBe(focused);
    await expect(page.locator(`[data-item-id="${focused}"]`)).toHaveAttribute('aria-current', 'true');

    if (round === 1) {
      await page.keyboard.press('r');
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      const label = await page.locator(`[data-item-id="${focused}"]`).getAttribute('aria-label');
      await expect(dialog).toContainText(label!);
      await page.keyboard.type('Fiche conforme à l’état civil');
      await armKeystrokeProbe(page, focused);
      await page.keyboard.press('Enter');
    } else {
      await armKeystrokeProbe(page, focused);
      await page.keyboard.press('a');
    }
    await keystrokeToNextItem(page);
    await expect.poll(() => state(focused)).toBe(round === 1 ? 'rejected' : 'accepted');
    const next = await focusedItemId(page);
    expect(next).not.toBe(focused);
    await expect(page.locator(`[data-item-id="${next}"]`)).toHaveAttribute('aria-current', 'true');
  }
  // The inserted items were never decided by a key meant for another.
  for (const id of inserted) expect(await state(id), id).toBe('pending');
});
