import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Page } from '@playwright/test';
import type { EstablishmentItem } from '../../shared/api/contract';
import { projectRoot, startHostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';

/** A small demo directory of our own: a batch changes accounts, which the other specs' shared host must not see. */
function startDirectory(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/demo-directory/cli.ts', '--json', '--seed', '5', '--establishments', '1', '--pupils', '60'],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ ...(JSON.parse(line) as { url: string }), child }));
    child.once('exit', (code) => reject(new Error(`demo directory exited with ${code}`)));
  });
}

/** Presses Tab until the focused element matches, as a keyboard user would (at most `max` times). */
async function tabTo(page: Page, matches: (el: { text: string; label: string | null; tag: string; testId: string | null }) => boolean, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { text: a?.textContent ?? '', label: a?.getAttribute('aria-label') ?? null, tag: a?.tagName ?? '', testId: a?.getAttribute('data-testid') ?? null };
    });
    if (matches(el)) return;
  }
  throw new Error('not reached by Tab');
}

test('Courriers: a preset batch by keyboard alone — preview, confirm, files written and listed, log', async ({ page }) => {
  test.setTimeout(120_000);
  const directory = await startDirectory();
  const data = tempDir('ecd-e2e-letters-');
  const out = tempDir('ecd-e2e-letters-out-');
  const host = await startHostProcess(['--port', '0', '--data', data.path, '--directory', directory.url]);
  try {
    const api = async <T>(method: string, input: unknown = {}): Promise<T> => {
      const res = await fetch(`${host.url}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as T;
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    };
    await api('auth.signIn', { login: 'chef.demo', password: 'demo-chef' });
    const [establishment] = await api<EstablishmentItem[]>('establishments.list');
    await api('sync.run', { uai: establishment!.uai });
    const presets = await api<{ presets: { id: string; label: string; count: number }[] }>('letters.presets', { uai: establishment!.uai });
    const preset = presets.presets.find((p) => p.id === 'pupils6eNotActivated')!;
    expect(preset.count).toBeGreaterThan(0);

    await page.goto(`${host.url}/#token=${host.token}`);
    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
    // The navigation, then the preset's button, by Tab and Enter only.
    await tabTo(page, (el) => el.tag === 'A' && el.text.includes('Courriers'));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Courriers');
    await expect(page.getByTestId(`preset-${preset.id}`)).toContainText(`${preset.count} compte`);
    await expectNoSeriousA11yViolations(page);
    await tabTo(page, (el) => el.label === `Préparer les courriers : ${preset.label}`);
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: `Préparer les courriers : ${preset.label}` });
    const summary = dialog.getByTestId('letters-summary');
    await expect(summary).toContainText('à préparer');
    const eligible = Number((await summary.innerText()).match(/^(\d+)/)![1]);
    expect(eligible).toBeGreaterThan(0);
    await expect(dialog.getByTestId('letter-preview').first()).toContainText('Mot de passe provisoire : ••••');
    await expect(dialog.getByTestId('letter-preview').first()).toContainText('Aux bons soins de');
    await expectNoSeriousA11yViolations(page);

    // The folder field: select what is suggested and type ours, then on to « Générer ».
    const folder = dialog.getByTestId('letters-output-dir');
    await expect(folder).not.toHaveValue('');
    await tabTo(page, (el) => el.testId === 'letters-output-dir', 40);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(out.path);
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text.startsWith('Générer'), 20);
    await page.keyboard.press('Enter');

    const result = page.getByRole('dialog', { name: 'Courriers prêts' });
    await expect(result.getByTestId('letters-result')).toContainText(`${eligible} courrier`, { timeout: 60_000 });
    const files = result.getByTestId('letter-file');
    await expect(files.first()).toContainText(out.path);
    // The browser host has no system viewer: the paths are shown, no « Ouvrir » button.
    await expect(result.getByRole('button', { name: /Ouvrir/ })).toHaveCount(0);
    const paths = await files.locator('code').allInnerTexts();
    let pages = 0;
    for (const path of paths) {
      expect(existsSync(path), path).toBe(true);
      pages += Number(execFileSync('pdfinfo', [path], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1]);
    }
    expect(pages).toBe(eligible);
    await expectNoSeriousA11yViolations(page);

    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Fermer', 40);
    await page.keyboard.press('Enter');
    await expect(result).toBeHidden();
    const log = page.getByTestId('letters-log');
    await expect(log.getByRole('row')).toHaveCount(2);
    await expect(log.getByRole('row').nth(1)).toContainText('chef.demo');
    await expect(log.getByRole('row').nth(1)).toContainText('Terminée');
    await expectNoSeriousA11yViolations(page);
  } finally {
    directory.child.kill('SIGTERM');
    await host.stop();
    data.remove();
    out.remove();
  }
});
