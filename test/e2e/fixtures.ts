import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { startHostProcess, type HostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

export interface HostFixture extends HostProcess {
  dataDir: string;
  /** Calls the API the way a script would. */
  api<T>(method: string, input?: unknown): Promise<{ status: number; body: T }>;
}

/**
 * One real browser host per worker, on a free port with a fresh data folder; pages open it with the launch token in
 * the URL fragment exactly as a user does.
 */
export const test = base.extend<{ app: Page }, { host: HostFixture }>({
  host: [
    // Playwright reads the fixture's dependencies from this destructuring pattern, so it must stay an object.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const data = tempDir('ecd-e2e-');
      const host = await startHostProcess(['--port', '0', '--data', data.path]);
      await use({
        ...host,
        dataDir: data.path,
        api: async <T>(method: string, input: unknown = {}) => {
          const res = await fetch(`${host.url}/api/${method}`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(input),
          });
          return { status: res.status, body: (await res.json()) as T };
        },
      });
      await host.stop();
      data.remove();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, host }, use) => {
    await page.goto(`${host.url}/#token=${host.token}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await use(page);
  },
});

export { expect };

/** axe-core over the whole page: no serious or critical violation is allowed (RGAA/WCAG). */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}
