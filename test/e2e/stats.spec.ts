import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EstablishmentItem } from '../../shared/api/contract';
import type { StatsSummary } from '../../shared/api/methods/stats';
import { formatRate, rate } from '../../shared/domain/stats';
import { projectRoot, startHostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';

/** The same text the page shows, spaces of every kind made plain (fr-FR groups thousands with a narrow space). */
const plain = (text: string | null) => (text ?? '').replace(/\s+/gu, ' ').trim();

test('the dashboard’s figures equal the API’s; by keyboard: the tabs, the call list’s sort, the workbook export', async ({ signedIn: page, host }) => {
  test.setTimeout(120_000);
  const [establishment] = (await host.api<EstablishmentItem[]>('establishments.list')).body;
  const uai = establishment!.uai;
  expect((await host.api('sync.run', { uai })).status).toBe(200);
  // The snapshot dated with the directory's date follows the run.
  await expect.poll(async () => (await host.api<StatsSummary>('stats.summary', { uai })).body.asOf, { timeout: 20_000 }).not.toBeNull();
  const summary = (await host.api<StatsSummary>('stats.summary', { uai })).body;

  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Statistiques' }).click();
  await expect(page.getByTestId('stats-pupils-rate')).toBeVisible();
  expect(plain(await page.getByTestId('stats-pupils-rate').textContent())).toBe(plain(formatRate(rate(summary.pupils.activated, summary.pupils.total))));
  expect(plain(await page.getByTestId('stats-pupils-counts').textContent())).toBe(plain(`${summary.pupils.activated.toLocaleString('fr-FR')} sur ${summary.pupils.total.toLocaleString('fr-FR')}`));
  expect(plain(await page.getByTestId('stats-guardians-rate').textContent())).toBe(plain(formatRate(rate(summary.guardians.activated, summary.guardians.total))));
  expect(plain(await page.getByTestId('stats-families-rate').textContent())).toBe(plain(formatRate(rate(summary.families.withActivatedGuardian, summary.families.total))));
  expect(plain(await page.getByTestId('pupils-notified').textContent())).toBe(plain(summary.pupils.notified.toLocaleString('fr-FR')));
  expect(plain(await page.getByTestId('expired-letters').textContent())).toBe(plain((summary.pupils.expiredLetters + summary.guardians.expiredLetters).toLocaleString('fr-FR')));
  await expect(page.getByTestId('stats-target')).toContainText('80,0');
  await expect(page.getByTestId('stats-evolution-chart')).toBeVisible();
  await expect(page.getByTestId('stats-comparison')).toContainText('Du 01/09/');

  // Every class of the API, with its rates.
  const classes = page.getByTestId('stats-classes');
  await expect(classes.locator('tbody tr')).toHaveCount(summary.byClass.length);
  for (const c of summary.byClass.slice(0, 5)) {
    const row = classes.locator(`tbody tr[data-key="${uai}:${c.division}"]`);
    expect(plain(await row.getByTestId('rate-pupils').textContent())).toBe(plain(`${formatRate(rate(c.pupilsActivated, c.pupils))} (${c.pupilsActivated}/${c.pupils})`));
    expect(plain(await row.getByTestId('rate-guardians').textContent())).toContain(plain(formatRate(rate(c.guardiansActivated, c.guardians))));
  }
  await expectNoSeriousA11yViolations(page);

  // The tabs by keyboard: focus the selected one, arrow to « Par MEF ».
  await page.getByRole('tab', { name: 'Par classe' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Par MEF' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('stats-mefs').locator('tbody tr')).toHaveCount(summary.byMef.length);

  // À relancer: the count is the API's; sorted by class, then reversed from the keyboard.
  const calls = (await host.api<{ total: number; rows: { displayName: string; division: string }[] }>('stats.callList', { uai, kind: 'pupil', limit: 25 })).body;
  await expect(page.getByTestId('stats-calls-count')).toContainText('à relancer');
  expect(plain(await page.getByTestId('stats-calls-count').textContent()).replace(/\D/g, '')).toBe(String(calls.total));
  await expect(page.getByTestId('stats-calls').locator('tbody tr').first()).toContainText(calls.rows[0]!.displayName);
  const classHeader = page.getByTestId('stats-calls').getByRole('button', { name: 'Classe' });
  await classHeader.focus();
  await page.keyboard.press('Enter');
  const reversed = (await host.api<{ rows: { displayName: string }[] }>('stats.callList', { uai, kind: 'pupil', sort: { field: 'division', direction: 'desc' }, limit: 25 })).body;
  await expect(page.getByTestId('stats-calls').locator('tbody tr').first()).toContainText(reversed.rows[0]!.displayName);
  await page.getByRole('tab', { name: 'Familles' }).click();
  await expect(page.getByTestId('stats-calls').getByRole('columnheader', { name: 'Enfant(s)' })).toBeVisible();

  // The workbook, opened and started from the keyboard.
  const folder = tempDir('ecd-e2e-stats-');
  try {
    await page.getByTestId('stats-export').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Exporter le classeur des statistiques' });
    const path = dialog.getByRole('textbox', { name: /Fichier à écrire/ });
    await expect(path).toHaveValue(/[\\/]statistiques-activation-\d{7}[A-Z]-\d{4}-\d{2}-\d{2}(-\d+)?\.xlsx$/);
    const file = join(folder.path, 'statistiques.xlsx');
    await path.fill(file);
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Exporter', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('stats-export-message')).toContainText(file, { timeout: 30_000 });
    expect(existsSync(file)).toBe(true);
    // Again at the same path: the overwrite question, answered from the keyboard (« Annuler » has the focus).
    await dialog.getByRole('button', { name: 'Exporter', exact: true }).click();
    const question = page.getByRole('alertdialog', { name: 'Le fichier existe déjà. Le remplacer ?' });
    await expect(question.getByRole('button', { name: 'Annuler' })).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('stats-export-message')).toContainText(file, { timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Fermer' }).click();
  } finally {
    folder.remove();
  }
});

test('print view: the frame and the controls give way to the figures and every table', async ({ signedIn: page, host }) => {
  const [establishment] = (await host.api<EstablishmentItem[]>('establishments.list')).body;
  await host.api('sync.run', { uai: establishment!.uai });
  await page.goto(`${host.url}/statistiques#token=${host.token}`);
  await expect(page.getByTestId('stats-pupils-rate')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Navigation principale' })).toBeHidden();
  await expect(page.getByTestId('stats-export')).toBeHidden();
  await expect(page.getByRole('heading', { name: /Statistiques d’activation EduConnect — / })).toBeVisible();
  await expect(page.getByTestId('stats-print-mefs')).toBeVisible();
  await expect(page.getByTestId('stats-classes')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('stats-print-mefs')).toBeHidden();
});

/** A demo directory of our own, whose establishment has no pupil yet. */
function emptyDirectory(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/demo-directory/cli.ts', '--json', '--establishments', '1', '--pupils', '0'], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ ...(JSON.parse(line) as { url: string }), child }));
    child.once('exit', (code) => reject(new Error(`demo directory exited with ${code}`)));
  });
}

test('no data yet: an empty state says why and what to do; the export is disabled with its reason', async ({ page }) => {
  test.setTimeout(90_000);
  const directory = await emptyDirectory();
  const data = tempDir('ecd-e2e-stats-empty-');
  const host = await startHostProcess(['--port', '0', '--data', data.path, '--directory', directory.url]);
  try {
    const api = (method: string, input: unknown = {}) =>
      fetch(`${host.url}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
    expect((await api('auth.signIn', { login: 'chef.demo', password: 'demo-chef' })).status).toBe(200);
    expect((await api('sync.run', {})).status).toBe(200);
    await page.goto(`${host.url}/statistiques#token=${host.token}`);
    await expect(page.getByRole('heading', { name: 'Pas encore de statistiques' })).toBeVisible();
    await expect(page.getByText(/Aucun compte n'a encore été reçu de l'annuaire/)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Aller à la synchronisation' })).toBeVisible();
    const exportButton = page.getByTestId('stats-export');
    await expect(exportButton).toBeDisabled();
    await expect(page.locator('#stats-export-disabled')).toHaveText(/Export indisponible : aucune donnée reçue/);
    await expect(exportButton).toHaveAttribute('aria-describedby', 'stats-export-disabled');
    await expectNoSeriousA11yViolations(page);
    // A script gets the same refusal.
    const refused = await api('stats.exportXlsx', { path: join(data.path, 'vide.xlsx') });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/Lancez une synchronisation/);
  } finally {
    directory.child.kill('SIGTERM');
    await host.stop();
    data.remove();
  }
});
