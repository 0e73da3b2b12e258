/// <reference lib="dom" />
/**
 * The Import page in Chromium through a real browser host with its embedded demo directory: a SIECLE export of the
 * establishment (written from the demo directory's own file, the school spelling one name its way) is added by its
 * path, read, previewed and applied with the keyboard alone; the difference lands in « À examiner »; no serious
 * accessibility violation on the way.
 */
import type { Page } from '@playwright/test';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordType } from '../../shared/directory/wire';
import { elevesXml, fromDemoDirectory, latin9, responsablesXml } from '../helpers/siecle';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';

/** The host's demo directory file, read-only, as the export helper reads a store. */
function demoRecords(dataDir: string) {
  const db = new BetterSqlite3(join(dataDir, 'demo-directory.sqlite'), { readonly: true, fileMustExist: true });
  return {
    liveRows: (uai: string, type: RecordType) =>
      (db.prepare('SELECT id, version, data FROM records WHERE uai = ? AND type = ? AND deleted = 0 ORDER BY id').all(uai, type) as { id: string; version: number; data: string }[]).map(
        (r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as never }),
      ),
    close: () => db.close(),
  };
}

/** Presses Tab until the element with that test id, or that text, has the focus (keyboard only). */
async function tabTo(page: Page, target: { testId?: string; text?: string }, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const reached = await page.evaluate(({ testId, text }) => {
      const el = document.activeElement;
      if (!el) return false;
      return testId ? el.getAttribute('data-testid') === testId : el.textContent?.trim() === text;
    }, target);
    if (reached) return;
  }
  throw new Error(`${JSON.stringify(target)} not reached by Tab`);
}

test('previews and applies a SIECLE export with the keyboard alone', async ({ signedIn: app, host }) => {
  test.setTimeout(120_000);
  const establishments = (await host.api<{ uai: string }[]>('establishments.list')).body;
  const uai = establishments[0]!.uai;
  expect((await host.api('sync.run', { uai })).status).toBe(200);

  const folder = mkdtempSync(join(tmpdir(), 'ecd-e2e-siecle-'));
  try {
    const records = demoRecords(host.dataDir);
    const base = fromDemoDirectory(records, uai);
    records.close();
    base.pupils[0]!.firstName = base.pupils[0]!.firstName.toUpperCase();
    const o = { uai, exportDate: '01/10/2025' };
    const eleves = join(folder, 'ElevesSansAdresses.xml');
    const responsables = join(folder, 'ResponsablesAvecAdresses.xml');
    writeFileSync(eleves, latin9(elevesXml(o, base.pupils)));
    writeFileSync(responsables, latin9(responsablesXml(o, base.persons, base.links)));

    await app.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Import', exact: true }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
    await expectNoSeriousA11yViolations(app);

    // Both files by their path, then « Lire et comparer », with the keyboard only.
    await tabTo(app, { testId: 'import-path' });
    await app.keyboard.type(eleves);
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('import-files')).toContainText('ElevesSansAdresses.xml');
    await app.keyboard.type(responsables);
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('import-files')).toContainText('ResponsablesAvecAdresses.xml');
    await tabTo(app, { text: 'Lire et comparer' });
    await app.keyboard.press('Enter');

    const preview = app.getByTestId('import-preview');
    await expect(preview).toBeVisible({ timeout: 30_000 });
    const counts = app.getByTestId('import-counts');
    await expect(counts.getByRole('row', { name: /^Élèves/ })).toContainText(base.pupils.length.toLocaleString('fr-FR'));
    await expect(counts.getByRole('row', { name: /Écarts avec l’annuaire/ })).toContainText('1');
    await expect(app.getByTestId('import-change').first()).toBeVisible();
    await expectNoSeriousA11yViolations(app);

    await tabTo(app, { text: 'Appliquer l’import…' });
    await app.keyboard.press('Enter');
    await expect(app.getByRole('dialog', { name: 'Appliquer cet import ?' })).toBeVisible();
    // The confirmation has the focus.
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('import-applied')).toContainText('Import appliqué. 1 écart à examiner.', { timeout: 30_000 });
    await expect(app.getByTestId('import-history')).toContainText('Appliqué');
    await expectNoSeriousA11yViolations(app);

    const pending = (await host.api<{ items: { origin: string; field: string }[] }>('review.list', { uai, state: 'pending', field: 'firstName', limit: 500 })).body;
    expect(pending.items.filter((i) => i.origin === 'import')).toHaveLength(1);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a file of another establishment is refused with a clear message and nothing is read', async ({ signedIn: app }) => {
  await app.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Import', exact: true }).click();
  await app.getByTestId('import-path').fill(join(process.cwd(), 'test/fixtures/imports/siecle/ElevesSansAdresses.xml'));
  await app.getByRole('button', { name: 'Ajouter' }).click();
  await app.getByRole('button', { name: 'Lire et comparer' }).click();
  await expect(app.getByTestId('import-error')).toContainText('est l’exportation de l’établissement 0310001H');
  await expect(app.getByTestId('import-preview')).toHaveCount(0);
  await expectNoSeriousA11yViolations(app);
});
