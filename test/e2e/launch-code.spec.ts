import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { startHostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';
import { expect, test } from './fixtures';

/**
 * `npm run serve -- --open` as a user meets it: the host runs the desktop's "open this address" command (a stand-in
 * xdg-open here, which records its command line instead of opening a browser we do not have), and Chromium opens the
 * recorded address. The page gets the token for the one-time code, and the code is spent.
 */
test('--open: the page exchanges its one-time launch code for the token, once', async ({ page, browser }) => {
  test.skip(process.platform !== 'linux', 'the stand-in for the desktop opener is xdg-open');
  const data = tempDir('ecd-e2e-');
  const bin = tempDir('ecd-bin-');
  const recorded = join(bin.path, 'argv.txt');
  writeFileSync(join(bin.path, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${recorded}.tmp" && mv "${recorded}.tmp" "${recorded}"\n`);
  chmodSync(join(bin.path, 'xdg-open'), 0o755);
  const host = await startHostProcess(['--port', '0', '--data', data.path, '--open'], 60_000, {
    PATH: `${bin.path}${delimiter}${process.env.PATH ?? ''}`,
  });
  try {
    await expect.poll(() => existsSync(recorded)).toBe(true);
    const launchUrl = readFileSync(recorded, 'utf8').trim();
    expect(launchUrl).toMatch(/\/#code=[\w-]+$/);
    expect(launchUrl).not.toContain(host.token);

    await page.goto(launchUrl);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion');
    await expect(page).not.toHaveURL(/code=/);
    // An API call that needs the token: the state page shows this host's data folder.
    await page.getByRole('banner').getByRole('link', { name: "État de l'application" }).click();
    await expect(page.getByTestId('status-data-dir')).toContainText(data.path);

    // The same address in a fresh tab (another browser context): the code was spent, no token comes of it.
    const other = await browser.newContext();
    try {
      const again = await other.newPage();
      await again.goto(launchUrl);
      await again.getByRole('banner').getByRole('link', { name: "État de l'application" }).click();
      await expect(again.getByRole('alert')).toContainText('Jeton d’accès absent ou invalide');
      await expect(again.getByTestId('status-data-dir')).toHaveCount(0);
    } finally {
      await other.close();
    }
  } finally {
    await host.stop();
    data.remove();
    bin.remove();
  }
});
