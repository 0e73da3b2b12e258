import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { DEMO_OPERATORS, type DemoOperatorSpec } from '../../shared/directory/demo-operators';
import { startHostProcess, type HostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

export interface HostFixture extends HostProcess {
  dataDir: string;
  /** Calls the API the way a script would. */
  api<T>(method: string, input?: unknown): Promise<{ status: number; body: T }>;
  /**
   * Signs the core in as a demo operator through the API (the session belongs to the core, so every page of this
   * worker sees it). Defaults to the operator holding every demo establishment.
   */
  signIn(login?: string): Promise<DemoOperatorSpec>;
  signOut(): Promise<void>;
}

export function demoOperator(login: string): DemoOperatorSpec {
  const operator = DEMO_OPERATORS.find((o) => o.login === login);
  if (!operator) throw new Error(`no demo operator ${login}`);
  return operator;
}

/**
 * One real browser host per worker, on a free port with a fresh data folder and the embedded demo directory (the
 * host's default); pages open it with the launch token in the URL fragment exactly as a user does.
 * `app` opens the window in whatever session state the worker is in; `signedIn` signs in first.
 */
export const test = base.extend<{ app: Page; signedIn: Page }, { host: HostFixture }>({
  host: [
    // Playwright reads the fixture's dependencies from this destructuring pattern, so it must stay an object.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const data = tempDir('ecd-e2e-');
      const host = await startHostProcess(['--port', '0', '--data', data.path, '--directory', 'demo']);
      const api = async <T>(method: string, input: unknown = {}) => {
        const res = await fetch(`${host.url}/api/${method}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
        });
        return { status: res.status, body: (await res.json()) as T };
      };
      await use({
        ...host,
        dataDir: data.path,
        api,
        signIn: async (login = 'multi.demo') => {
          const operator = demoOperator(login);
          const res = await api<{ login: string }>('auth.signIn', { login: operator.login, password: operator.password });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          return operator;
        },
        signOut: async () => {
          expect((await api('auth.signOut')).status).toBe(200);
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
  signedIn: async ({ page, host }, use) => {
    await host.signIn();
    await page.goto(`${host.url}/#token=${host.token}`);
    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await use(page);
  },
});

export { expect };

/**
 * axe-core over the whole page: no serious or critical violation is allowed (RGAA/WCAG). The page is checked at
 * rest: a dialog fading in (MUI's 225 ms opacity transition) is part transparent, and axe then measures the colours
 * of a frame mid-fade (a contrast of 3:1 for a button that has 5.6:1 once shown). Endless animations (progress
 * indicators) are not waited for.
 */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}
