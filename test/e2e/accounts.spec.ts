import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AccountRow } from '../../shared/api/methods/accounts';
import type { EstablishmentItem } from '../../shared/api/contract';
import { projectRoot, startHostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';

/** A demo directory of our own, so the test can slow its answers down and watch the pending state. */
function startDirectory(): Promise<{ url: string; adminToken: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/demo-directory/cli.ts', '--json', '--seed', '4', '--establishments', '1', '--pupils', '300'],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ ...(JSON.parse(line) as { url: string; adminToken: string }), child }));
    child.once('exit', (code) => reject(new Error(`demo directory exited with ${code}`)));
  });
}

const unaccented = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

/** A browser host on its own demo directory (whose answers the test can slow down), signed in as the head. */
async function ownHost() {
  const directory = await startDirectory();
  const data = tempDir('ecd-e2e-accounts-');
  const host = await startHostProcess(['--port', '0', '--data', data.path, '--directory', directory.url]);
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
  const faults = async (spec: string) => {
    const res = await fetch(`${directory.url}/admin/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${directory.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ spec }),
    });
    expect(res.status).toBe(200);
  };
  await api('auth.signIn', { login: 'chef.demo', password: 'demo-chef' });
  const [establishment] = await api<EstablishmentItem[]>('establishments.list');
  await api('sync.run', { uai: establishment!.uai });
  return {
    host,
    api,
    faults,
    uai: establishment!.uai,
    stop: async () => {
      directory.child.kill('SIGTERM');
      await host.stop();
      data.remove();
    },
  };
}

test('find a guardian by part of the name typed without accents, unlock: pending, then confirmed', async ({ page }) => {
  test.setTimeout(90_000);
  const own = await ownHost();
  const { host, api, uai } = own;
  try {
    const locked = await api<{ rows: AccountRow[] }>('accounts.search', { kind: 'guardian', uai, filters: { state: ['bloque'] }, limit: 100 });
    // An accented word of 4 letters or more, so that the part typed has at least 3 (the search needs 3 inside a word).
    const accentedWord = (r: AccountRow) => r.displayName.split(' ').find((w) => unaccented(w) !== w && w.length >= 4);
    const target = locked.rows.find((r) => accentedWord(r) !== undefined && /[À-ÿ]/.test(r.displayName.split(' ')[0]!))
      ?? locked.rows.find((r) => accentedWord(r) !== undefined)!;
    expect(target, 'a locked guardian with an accented name').toBeDefined();
    // "Ménard" → "enard": part of the name, no accent, lower case.
    const word = accentedWord(target)!;
    const typed = unaccented(word).toLowerCase().slice(1, 6);

    await page.goto(`${host.url}/#token=${host.token}`);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comptes' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Comptes');
    await page.getByRole('tab', { name: 'Responsables' }).click();
    await page.getByTestId('accounts-search').fill(typed);
    const open = page.getByRole('button', { name: `Ouvrir la fiche de ${target.displayName}` });
    await expect(open).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await open.click();

    const drawer = page.getByRole('dialog', { name: target.displayName.split(' ')[0]!, exact: false });
    await expect(drawer.getByTestId('detail-state')).toContainText('Bloqué');
    // The directory now answers slowly: the unlock stays pending long enough to be seen.
    await own.faults('latency=2500');
    await drawer.getByTestId('action-unlock').click();
    await expect(drawer.getByTestId('pending-badge')).toBeVisible();
    await expect(drawer.getByTestId('detail-state')).toContainText('Bloqué');
    await expectNoSeriousA11yViolations(page);

    // The run that follows the action sends it, then syncs: confirmed, no longer pending.
    await expect(drawer.getByTestId('pending-badge')).toHaveCount(0, { timeout: 30_000 });
    await expect(drawer.getByTestId('detail-state')).not.toContainText('Bloqué');
    await expect(drawer.getByTestId('detail-state')).toContainText(/Activé|Notifié/);
    await expect(drawer.getByText('Déblocage du compte (confirmé) — chef.demo')).toBeVisible();
  } finally {
    await own.stop();
  }
});

test('link a child to a guardian by typing part of the pupil’s name: listed at once, pending', async ({ page }) => {
  test.setTimeout(90_000);
  const own = await ownHost();
  try {
    const { uai, api } = own;
    const guardians = await api<{ rows: AccountRow[] }>('accounts.search', { kind: 'guardian', uai, filters: { state: ['active'] }, limit: 50 });
    const guardian = guardians.rows.find((r) => !/[^\p{L} -]/u.test(r.displayName))!;
    const detail = await api<{ family: { pupils: { id: string }[] } }>('accounts.get', { kind: 'guardian', uai, id: guardian.id });
    const children = new Set(detail.family.pupils.map((p) => p.id));
    const pupils = await api<{ rows: AccountRow[] }>('accounts.search', { kind: 'pupil', uai, limit: 200 });
    const pupil = pupils.rows.find((r) => !children.has(r.id) && r.division && r.ine && r.lastName.length >= 4)!;
    // Part of the last name, no accent, lower case, then the start of the first name.
    const typed = `${unaccented(pupil.lastName).toLowerCase().slice(0, 4)} ${unaccented(pupil.firstName).toLowerCase().slice(0, 2)}`;

    await page.goto(`${own.host.url}/#token=${own.host.token}`);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comptes' }).click();
    await page.getByRole('tab', { name: 'Responsables' }).click();
    await page.getByTestId('accounts-search').fill(guardian.lastName);
    // The list has answered for what was typed (the count of that search), then the row is opened.
    const found = await api<{ total: number }>('accounts.search', { kind: 'guardian', uai, text: guardian.lastName, limit: 1 });
    await expect(page.getByText(`${found.total} compte${found.total > 1 ? 's' : ''}`, { exact: true })).toBeVisible();
    await page.getByRole('button', { name: `Ouvrir la fiche de ${guardian.displayName}` }).click();
    const drawer = page.getByRole('dialog', { name: guardian.displayName.split(' ')[0]!, exact: false });
    await drawer.getByRole('button', { name: 'Rattacher un élève' }).click();

    const dialog = page.getByRole('dialog', { name: 'Rattacher un élève' });
    const combo = dialog.getByRole('combobox', { name: /Élève \(nom, prénom ou INE\)/ });
    await expect(combo).toBeFocused();
    await combo.pressSequentially(typed, { delay: 30 });
    const options = page.getByRole('option');
    const wanted = options.filter({ hasText: pupil.displayName });
    await expect(wanted).toBeVisible();
    await expect(wanted).toContainText(`classe ${pupil.division}`);
    await expect(wanted).toContainText(`INE ${pupil.ine}`);
    await expectNoSeriousA11yViolations(page);
    // By keyboard: the first option is highlighted; arrows down to the pupil, Enter chooses it.
    const names = await options.allInnerTexts();
    const index = names.findIndex((n) => n.includes(pupil.displayName));
    for (let i = 0; i < index; i++) await combo.press('ArrowDown');
    await combo.press('Enter');
    await expect(combo).toHaveValue(pupil.displayName);
    await dialog.getByRole('combobox', { name: 'Responsabilité' }).selectOption({ label: 'Personne à contacter' });
    await dialog.getByRole('combobox', { name: 'Lien de parenté' }).selectOption({ label: 'Autre lien' });

    // The directory now answers slowly: the new link stays pending long enough to be seen.
    await own.faults('latency=2500');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect(dialog).toBeHidden();
    const child = drawer.getByRole('listitem').filter({ hasText: pupil.displayName });
    await expect(child).toContainText('Autre lien');
    await expect(child.getByTestId('pending-badge')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await expect(child.getByTestId('pending-badge')).toHaveCount(0, { timeout: 30_000 });
    await expect(child).toContainText('Autre lien');
  } finally {
    await own.stop();
  }
});

test('letters for a selection of the Comptes page: the deactivated account is skipped, the others printed to PDF', async ({ page }) => {
  test.setTimeout(90_000);
  const own = await ownHost();
  const out = tempDir('ecd-e2e-accounts-letters-');
  try {
    const { uai, api } = own;
    // Three notified pupils of the list's first page (sorted by name), one of them deactivated first.
    const firstPage = await api<{ rows: AccountRow[] }>('accounts.search', { kind: 'pupil', uai, sort: { field: 'name', direction: 'asc' }, limit: 50 });
    const targets = firstPage.rows.filter((r) => r.state === 'notifie').slice(0, 3);
    expect(targets).toHaveLength(3);
    const [first, , deactivated] = targets as [AccountRow, AccountRow, AccountRow];
    await api('accounts.deactivate', { kind: 'pupil', uai, id: deactivated.id, reason: 'Préparation du test' });
    await api('sync.run', { uai });

    await page.goto(`${own.host.url}/#token=${own.host.token}`);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comptes' }).click();
    await page.getByRole('tab', { name: 'Élèves' }).click();
    for (const row of targets) await page.getByRole('checkbox', { name: `Sélectionner ${row.displayName}` }).check();
    await page.getByTestId('bulk-letters').click();
    const dialog = page.getByRole('dialog', { name: 'Courriers d’identifiants pour 3 comptes' });
    await expect(dialog.getByTestId('letters-summary')).toHaveText('2 courriers à préparer sur 3 comptes sélectionnés.');
    await expect(dialog.getByTestId('letters-skipped')).toContainText(deactivated.displayName);
    await expect(dialog.getByTestId('letters-skipped')).toContainText('réactivez-le');
    await expect(dialog.getByTestId('letter-preview').filter({ hasText: first.login! })).toHaveCount(1);
    await expectNoSeriousA11yViolations(page);
    await dialog.getByTestId('letters-output-dir').fill(out.path);
    await dialog.getByRole('button', { name: 'Générer 2 courriers' }).click();

    const result = page.getByRole('dialog', { name: 'Courriers prêts' });
    await expect(result.getByTestId('letters-result')).toHaveText('2 courriers préparés dans 1 fichier.');
    await expect(result.getByTestId('letters-notified')).toContainText(first.login!);
    const [file] = await result.getByTestId('letter-file').locator('code').allInnerTexts();
    expect(existsSync(file!)).toBe(true);
    // The passwords went straight from the directory into the PDF: the page never held them.
    const text = execFileSync('pdftotext', ['-layout', file!, '-'], { encoding: 'utf8' });
    const passwords = [...text.matchAll(/Mot de passe provisoire :\s+(\S+)/g)].map((m) => m[1]!);
    expect(passwords).toHaveLength(2);
    const html = await page.content();
    for (const p of passwords) expect(html).not.toContain(p);
    await result.getByRole('button', { name: 'Fermer' }).click();
    await expect(result).toBeHidden();
  } finally {
    await own.stop();
    out.remove();
  }
});

test('export: a dated French file in Documents is suggested and stays editable; no "Parcourir…" in the browser', async ({ signedIn: page }) => {
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comptes' }).click();
  await page.getByRole('tab', { name: 'Responsables' }).click();
  await page.getByRole('button', { name: 'Exporter', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Exporter la liste filtrée' });
  const path = dialog.getByRole('textbox', { name: /Fichier à écrire/ });
  await expect(path).toHaveValue(/[\\/]comptes-responsables-\d{7}[A-Z]-\d{4}-\d{2}-\d{2}(-\d+)?\.xlsx$/);
  await dialog.getByRole('radio', { name: /CSV/ }).check();
  await expect(path).toHaveValue(/\.csv$/);
  await expect(dialog.getByRole('button', { name: 'Parcourir…' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  const folder = tempDir('ecd-e2e-export-');
  try {
    const file = join(folder.path, 'responsables.csv');
    await path.fill(file);
    await dialog.getByRole('button', { name: 'Exporter', exact: true }).click();
    await expect(dialog.getByText(/lignes exportées dans/)).toContainText(file);
    expect(existsSync(file)).toBe(true);
  } finally {
    folder.remove();
  }
});
