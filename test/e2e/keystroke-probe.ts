/**
 * Keystroke → next review item shown, measured inside the page so that Playwright's own round trips do not count.
 * Shared by the review e2e spec (reported) and the review-keyboard bench suite.
 *
 * The page-side code is plain JavaScript text: under tsx (the bench runner) functions carry esbuild's `__name`
 * helper, which does not exist in the page.
 */
import type { Page } from '@playwright/test';

/**
 * Arms a probe for the next keydown: it notes when that key went down, when an item other than `previousId` then
 * takes the focus, and the next animation frame after that (the item drawn).
 */
export function armKeystrokeProbe(page: Page, previousId: string | null): Promise<void> {
  return page.evaluate(`(() => {
    const previous = ${JSON.stringify(previousId)};
    const probe = {};
    window.keystrokeProbe = probe;
    document.addEventListener('keydown', () => { probe.keyAt = performance.now(); }, { capture: true, once: true });
    const onFocus = (event) => {
      const id = event.target && event.target.getAttribute ? event.target.getAttribute('data-item-id') : null;
      if (probe.keyAt === undefined || !id || id === previous) return;
      document.removeEventListener('focusin', onFocus, true);
      requestAnimationFrame(() => { probe.shownAt = performance.now(); });
    };
    document.addEventListener('focusin', onFocus, true);
  })()`);
}

/** Milliseconds from the armed keydown to the next item shown; rejects after `timeoutMs`. */
export function keystrokeToNextItem(page: Page, timeoutMs = 10_000): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const deadline = performance.now() + ${timeoutMs};
    const check = () => {
      const probe = window.keystrokeProbe;
      if (probe && probe.keyAt !== undefined && probe.shownAt !== undefined) resolve(probe.shownAt - probe.keyAt);
      else if (performance.now() > deadline) reject(new Error('the next item was not shown within ${timeoutMs} ms'));
      else setTimeout(check, 5);
    };
    check();
  })`);
}

/** The review item that has the focus, by id. */
export const focusedItemId = (page: Page): Promise<string | null> =>
  page.evaluate(`document.activeElement ? document.activeElement.getAttribute('data-item-id') : null`);

/**
 * The n-th decision of a keyboard review, timed: accept and defer in turn, and every fifth a rejection (R, a reason,
 * then Enter, the decisive key). Returns the milliseconds from the decisive keydown to the next item shown.
 */
export async function decideByKeyboard(page: Page, n: number): Promise<number> {
  const before = await focusedItemId(page);
  if (n % 5 === 4) {
    await page.keyboard.press('r');
    await page.keyboard.type('Orthographe de l’état civil');
    await armKeystrokeProbe(page, before);
    await page.keyboard.press('Enter');
  } else {
    await armKeystrokeProbe(page, before);
    await page.keyboard.press(n % 2 ? 'd' : 'a');
  }
  return keystrokeToNextItem(page);
}
