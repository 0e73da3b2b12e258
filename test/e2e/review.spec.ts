/// <reference lib="dom" />
/**
 * The "À examiner" page in Chromium through a real browser host, on its own demo directory (started here so the test
 * can add FranceConnect differences to it): 20 items reviewed with the keyboard only, the time from keystroke to the
 * next item shown reported (not asserted), and no serious accessibility violation.
 */
import { test, expect } from '@playwright/test';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import type { HostProcess } from '../helpers/host-process';
import { demoOperator, expectNoSeriousA11yViolations } from './fixtures';
import { decideByKeyboard, focusedItemId } from './keystroke-probe';
import { startReviewDemo, type ReviewDemo } from './review-demo';

let demo: ReviewDemo;
let directory: DemoDirectory;
let host: HostProcess;

test.beforeAll(async () => {
  demo = await startReviewDemo({ seed: 11, pupils: 150, changes: 25, newFirstName: (name, i) => (i % 2 ? name.toUpperCase() : `${name}-Marie`) });
  ({ directory, host } = demo);
});

test.afterAll(async () => {
  await demo?.close();
});

const api = <T,>(method: string, input: unknown = {}): Promise<T> => demo.api<T>(method, input);

test('reviews 20 identity changes with the keyboard only', async ({ page }) => {
  test.setTimeout(120_000);
  const operator = demoOperator('chef.demo');
  await api('auth.signIn', { login: operator.login, password: operator.password });
  const uai = directory.establishments[0]!.uai;
  await api('sync.run', { uai });
  await expect.poll(async () => (await api<{ pending: number }>('review.counts', { uai })).pending, { timeout: 20_000 }).toBeGreaterThanOrEqual(20);

  await page.goto(`${host.url}/#token=${host.token}`);
  await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
  await expect(page.getByTestId('review-nav-badge')).not.toHaveText('0');
  await page.getByRole('link', { name: /À examiner/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'À examiner' })).toBeVisible();
  await expect(page.getByTestId('review-item').first()).toBeVisible();
  await expect(page.getByText(/Raccourcis clavier/)).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Keyboard only: Tab to the first item of the queue.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'review-item')) break;
  }
  const focusedId = () => focusedItemId(page);
  expect(await focusedId()).not.toBeNull();

  // J/K move; then 20 decisions (accept, defer, reject with a reason), each bringing the next item into focus.
  const first = await focusedId();
  await page.keyboard.press('j');
  expect(await focusedId()).not.toBe(first);
  await page.keyboard.press('k');
  expect(await focusedId()).toBe(first);

  // Measured in the page (test/e2e/keystroke-probe.ts); for a rejection the decisive key is Enter in the reason dialog.
  const timings: number[] = [];
  for (let n = 0; n < 20; n++) {
    const ms = await decideByKeyboard(page, n);
    timings.push(Math.round(ms));
  }
  const sorted = [...timings].sort((a, b) => a - b);
  test.info().annotations.push({
    type: 'keystroke to next item (ms)',
    description: `median ${sorted[10]}, p95 ${sorted[18]}, max ${sorted[19]}`,
  });
  console.log(`[review e2e] keystroke → next item: median ${sorted[10]} ms, p95 ${sorted[18]} ms, max ${sorted[19]} ms`);

  const counts = await api<{ pending: number; deferred: number }>('review.counts', { uai });
  expect(counts.deferred).toBe(8);
  const decided = await api<{ total: number }>('review.list', { uai, state: 'rejected' });
  expect(decided.total).toBe(4);
  await expectNoSeriousA11yViolations(page);
});
