/**
 * Reviewing by keyboard in the real renderer: a demo directory whose guardians carry REVIEW_CHANGES FranceConnect
 * first-name differences, a real browser host synced from it, Debian's Chromium. DECISIONS items are then decided by
 * keyboard only (A, D, and R + reason + Enter), each time measuring, inside the page, the decisive keystroke to the
 * next item shown (test/e2e/keystroke-probe.ts). Baseline: the same measure for J (move to the next item, no decision).
 * Goal: < 100 ms, reported, never asserted.
 */
import { chromium } from '@playwright/test';
import { DEMO_OPERATORS } from '../../../shared/directory/demo-operators';
import { chromiumArgs, findChromium } from '../../e2e/chromium';
import { armKeystrokeProbe, decideByKeyboard, focusedItemId, keystrokeToNextItem } from '../../e2e/keystroke-probe';
import { startReviewDemo } from '../../e2e/review-demo';
import { median, percentile, type Measurement, type Suite } from '../harness';

const REVIEW_CHANGES = 400;
const DECISIONS = 60;
const MOVES = 30;

export const reviewKeyboard: Suite = {
  name: 'review-keyboard',
  async run(): Promise<Measurement[]> {
    const demo = await startReviewDemo({
      seed: 5,
      pupils: 800,
      changes: REVIEW_CHANGES,
      newFirstName: (name, i) => (i % 2 ? name.toUpperCase() : `${name}-Marie`),
    });
    const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
    try {
      const operator = DEMO_OPERATORS.find((o) => o.login === 'chef.demo')!;
      await demo.api('auth.signIn', { login: operator.login, password: operator.password });
      const uai = demo.directory.establishments[0]!.uai;
      await demo.api('sync.run', { uai });
      for (let i = 0; ; i++) {
        const { pending } = await demo.api<{ pending: number }>('review.counts', { uai });
        if (pending >= REVIEW_CHANGES) break;
        if (i > 300) throw new Error(`only ${pending} pending items after the sync`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
      await page.goto(`${demo.host.url}/#token=${demo.host.token}`);
      await page.getByRole('link', { name: /À examiner/ }).click();
      await page.getByTestId('review-item').first().waitFor();
      for (let i = 0; i < 60 && (await focusedItemId(page)) === null; i++) await page.keyboard.press('Tab');
      if ((await focusedItemId(page)) === null) throw new Error('no review item reached with Tab');

      const moves: number[] = [];
      for (let n = 0; n < MOVES; n++) {
        await armKeystrokeProbe(page, await focusedItemId(page));
        await page.keyboard.press('j');
        moves.push(await keystrokeToNextItem(page));
      }
      for (let n = 0; n < MOVES; n++) await page.keyboard.press('k');

      const decisions: number[] = [];
      for (let n = 0; n < DECISIONS; n++) decisions.push(await decideByKeyboard(page, n));
      const p95 = percentile(decisions, 95);
      return [
        {
          suite: 'review-keyboard', metric: `keystroke → next item, median of ${DECISIONS} decisions (${REVIEW_CHANGES} pending)`,
          value: median(decisions), unit: 'ms', baseline: median(moves), goal: '< 100 ms', met: median(decisions) < 100,
        },
        {
          suite: 'review-keyboard', metric: `keystroke → next item, p95 of ${DECISIONS} decisions`,
          value: p95, unit: 'ms', baseline: percentile(moves, 95), goal: '< 100 ms', met: p95 < 100,
        },
      ];
    } finally {
      await browser.close();
      await demo.close();
    }
  },
};
