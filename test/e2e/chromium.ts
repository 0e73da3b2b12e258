import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags for Debian's Chromium on a machine whose network only reaches package registries. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Chromium from PLAYWRIGHT_CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own download if one
 * was installed. Throws a message that says how to get one.
 */
export function findChromium(): string {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own here.
  }
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    throw new Error(
      'No Chromium found for the e2e tests. Install one: `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
        'or set PLAYWRIGHT_CHROMIUM_PATH to a Chrome/Chromium executable, or run `npx playwright install chromium` ' +
        'where the internet is reachable.',
    );
  }
  return found;
}
