/// <reference lib="dom" />
/**
 * The hand-off of accepted identity changes to the management software on the "À examiner" page, in Chromium through
 * a real browser host on its own demo directory (set up as in review.spec.ts, with a few FranceConnect differences):
 * an accepted change appears in the "À saisir dans SIECLE / ONDE" table, is exported as CSV (UTF-8 with BOM, `;`),
 * replaced only after the « Le fichier existe déjà. Le remplacer ? » confirmation (by keyboard), then marked "saisi" and
 * leaves the table; no serious accessibility violation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import type { HostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';
import { demoOperator, expectNoSeriousA11yViolations } from './fixtures';
import { startReviewDemo, type ReviewDemo } from './review-demo';

let demo: ReviewDemo;
let directory: DemoDirectory;
let host: HostProcess;
const exports = tempDir('ecd-e2e-handoff-export-');

test.beforeAll(async () => {
  demo = await startReviewDemo({ seed: 12, pupils: 60, changes: 3, newFirstName: (name) => `${name}-Marie` });
  ({ directory, host } = demo);
});

test.afterAll(async () => {
  await demo?.close();
  exports.remove();
});

const api = <T,>(method: string, input: unknown = {}): Promise<T> => demo.api<T>(method, input);

interface Item {
  id: number;
  personLabel: string;
  newValue: string | null;
}

test('accepted changes are exported, marked "saisi" and leave the hand-off table', async ({ page }) => {
  test.setTimeout(90_000);
  const operator = demoOperator('chef.demo');
  await api('auth.signIn', { login: operator.login, password: operator.password });
  const uai = directory.establishments[0]!.uai;
  await api('sync.run', { uai });
  await expect.poll(async () => (await api<{ pending: number }>('review.counts', { uai })).pending, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);

  await page.goto(`${host.url}/#token=${host.token}`);
  await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
  await page.getByRole('link', { name: /À examiner/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'À examiner' })).toBeVisible();

  // Nothing accepted yet: the hand-off section shows its empty state.
  const section = page.getByRole('region', { name: 'À saisir dans SIECLE / ONDE' });
  await expect(section.getByRole('heading', { name: 'Rien à saisir' })).toBeVisible();

  // Accept the first item of the queue.
  const first = page.getByTestId('review-item').first();
  const firstId = Number(await first.getAttribute('data-item-id'));
  await first.getByRole('button', { name: 'Accepter', exact: true }).click();
  await expect.poll(async () => (await api<{ items: Item[] }>('review.list', { uai, state: 'accepted' })).items.map((i) => i.id)).toContain(firstId);
  const accepted = (await api<{ items: Item[] }>('review.list', { uai, state: 'accepted' })).items.find((i) => i.id === firstId)!;

  // It appears in the hand-off table (captioned, with column headers) and the refresh came from 'review.changed'.
  const table = section.getByRole('table', { name: 'Changements acceptés à saisir dans le logiciel de gestion' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Nouvelle valeur' })).toBeVisible();
  const rows = table.getByTestId('handoff-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(accepted.personLabel);
  await expect(rows.first()).toContainText(accepted.newValue!);
  await expectNoSeriousA11yViolations(page);

  // Export as CSV to a temporary absolute path: the dialog says how many rows went where.
  const file = join(exports.path, 'a-saisir.csv');
  await section.getByRole('button', { name: 'Exporter…' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Exporter les changements à saisir' });
  await exportDialog.getByRole('radio', { name: /CSV/ }).check();
  await exportDialog.getByRole('textbox', { name: /Fichier à écrire/ }).fill(file);
  await expectNoSeriousA11yViolations(page);
  await exportDialog.getByRole('button', { name: 'Exporter', exact: true }).click();
  await expect(exportDialog.getByTestId('handoff-export-result')).toHaveText(`1 ligne exportée dans ${file}.`);
  const csv = readFileSync(file, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trimEnd().split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain(';');
  expect(lines[1]!.split(';')).toEqual(expect.arrayContaining([accepted.personLabel, accepted.newValue]));

  // The same file again: the dialog asks before replacing it, by keyboard. The focus starts on « Annuler » (Enter keeps
  // the file and says so); the second time Tab reaches « Remplacer » and the export is sent again with overwrite.
  await exportDialog.getByRole('button', { name: 'Exporter', exact: true }).click();
  const replaceDialog = page.getByRole('alertdialog', { name: 'Le fichier existe déjà. Le remplacer ?' });
  await expect(replaceDialog).toBeVisible();
  await expect(replaceDialog).toContainText(file);
  await expect(replaceDialog.getByRole('button', { name: 'Annuler' })).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press('Enter');
  await expect(replaceDialog).toBeHidden();
  await expect(exportDialog.getByTestId('handoff-export-result')).toContainText('le fichier existant est conservé');
  expect(readFileSync(file, 'utf8')).toBe(csv);
  await exportDialog.getByRole('button', { name: 'Exporter', exact: true }).click();
  await expect(replaceDialog).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(replaceDialog.getByRole('button', { name: 'Remplacer' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(replaceDialog).toBeHidden();
  await expect(exportDialog.getByTestId('handoff-export-result')).toHaveText(`1 ligne exportée dans ${file}.`);
  const audit = await api<{ items: { outcome: string; errorCode: string | null; after: { overwrite?: boolean } | null }[] }>('audit.list', {
    method: 'review.handoffExport',
  });
  expect(audit.items.slice(0, 4).map((e) => [e.outcome, e.errorCode, e.after?.overwrite ?? null])).toEqual([
    ['ok', null, true],
    ['error', 'CONFLICT', null],
    ['error', 'CONFLICT', null],
    ['ok', null, false],
  ]);

  // A relative path is refused with a French message before anything is written.
  await exportDialog.getByRole('textbox', { name: /Fichier à écrire/ }).fill('a-saisir.csv');
  await exportDialog.getByRole('button', { name: 'Exporter', exact: true }).click();
  await expect(exportDialog.getByTestId('handoff-export-result')).toContainText('chemin complet');
  await exportDialog.getByRole('button', { name: 'Fermer' }).click();
  await expect(exportDialog).toBeHidden();

  // Select the row (by keyboard: its labelled checkbox), mark it "saisi" after confirmation: it leaves the table.
  const mark = section.getByRole('button', { name: 'Marquer comme saisi' });
  await expect(mark).toBeDisabled();
  const checkbox = table.getByRole('checkbox', { name: `Sélectionner ${accepted.personLabel} — Prénom` });
  await checkbox.focus();
  await page.keyboard.press('Space');
  await expect(checkbox).toBeChecked();
  await expect(section.getByTestId('handoff-total')).toContainText('1 ligne sélectionnée');
  await mark.click();
  const confirm = page.getByRole('dialog', { name: 'Marquer comme saisi' });
  await expect(confirm).toContainText('1 changement sera marqué comme saisi');
  await expectNoSeriousA11yViolations(page);
  await confirm.getByRole('button', { name: 'Marquer comme saisi' }).click();
  await expect(confirm).toBeHidden();
  await expect(section.getByText('1 changement marqué comme saisi.')).toBeVisible();
  await expect(section.getByRole('heading', { name: 'Rien à saisir' })).toBeVisible();
  await expect(table).toBeHidden();
  expect((await api<{ total: number }>('review.handoffList', { uai })).total).toBe(0);
  expect((await api<{ toKey: number }>('review.counts', { uai })).toKey).toBe(0);
  await expectNoSeriousA11yViolations(page);
});
