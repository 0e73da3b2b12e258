import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from './test/e2e/chromium';

export default defineConfig({
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'fr-FR',
  },
  projects: [
    {
      name: 'chromium',
      testDir: 'test/e2e',
      use: { launchOptions: { executablePath: findChromium(), args: chromiumArgs } },
    },
    {
      // Runs the real desktop app; each test skips with its reason when no Electron binary is installed.
      name: 'electron',
      testDir: 'test/electron',
    },
  ],
});
