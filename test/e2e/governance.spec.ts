import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from '../helpers/host-process';
import { demoOperator, expect, expectNoSeriousA11yViolations, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

test('a secrétariat operator signed in through the UI cannot reach a mutation, even calling the API directly', async ({ app, host }) => {
  await host.signOut();
  await app.reload();
  const operator = demoOperator('secretariat.demo');
  await app.getByRole('textbox', { name: 'Identifiant' }).fill(operator.login);
  await app.locator('input[type="password"]').fill(operator.password);
  await app.getByRole('button', { name: 'Se connecter' }).click();
  await expect(app.getByTestId('session-operator')).toHaveAttribute('data-role', 'secretariat');

  // The page's own token, as any script on this machine would use it.
  const token = await app.evaluate(() => sessionStorage.getItem('educonnect-desk.token') ?? new URLSearchParams(location.hash.slice(1)).get('token'));
  const bearer = token ?? host.token;
  const uai = (await host.api<{ uai: string }[]>('establishments.list')).body[0]!.uai;
  const attempts: [string, unknown][] = [
    ['settings.update', { uai, patch: { letterHeader: 'Piraté' } }],
    ['settings.updateLocal', { uai, patch: { inactivityMinutes: 240 } }],
    ['delegations.grant', { uai, login: 'secretariat.demo', rights: ['letters'] }],
    ['delegations.revoke', { id: 1 }],
    ['rollover.run', { uai, planId: 'x' }],
    ['audit.export', { path: join(tmpdir(), 'vol.xlsx') }],
    ['audit.list', {}],
  ];
  for (const [method, input] of attempts) {
    const res = await app.request.post(`${host.url}/api/${method}`, {
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      data: input,
    });
    expect(res.status(), method).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code, method).toBe('FORBIDDEN');
    expect(body.error.message).toMatch(/non autorisée/);
  }
  // Reading is allowed.
  const read = await app.request.post(`${host.url}/api/settings.get`, {
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    data: { uai },
  });
  expect(read.status()).toBe(200);

  // The Paramètres page is read-only for this role.
  await app.getByRole('link', { name: 'Paramètres' }).click();
  await expect(app.getByText("Seul le chef d'établissement peut modifier ces paramètres.")).toBeVisible();
  await expect(app.getByRole('button', { name: 'Enregistrer' })).toHaveCount(0);
});

test('the head of establishment edits settings, grants a delegation and browses the Journal', async ({ signedIn: page, host }) => {
  await host.api('sync.run', {});
  await page.getByRole('link', { name: 'Paramètres' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paramètres');
  const header = page.getByRole('textbox', { name: 'En-tête des courriers' });
  await expect(header).toBeVisible();
  await header.fill('Collège de démonstration — secrétariat');
  await page.getByTestId('establishment-settings').getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText(/Paramètres enregistrés/)).toBeVisible();

  await page.getByRole('textbox', { name: 'Identifiant du délégué' }).fill('delegue.demo');
  await page.getByRole('checkbox', { name: 'Courriers' }).check();
  await page.getByRole('button', { name: 'Accorder' }).click();
  await expect(page.getByText('Délégation accordée à delegue.demo.')).toBeVisible();
  await expect(page.getByTestId('delegation-row').filter({ hasText: 'delegue.demo' }).first()).toHaveAttribute('data-status', 'active');
  await page.getByRole('button', { name: 'Afficher l’aperçu' }).click();
  const history = page.getByTestId('rollover-history');
  await expect(history).toContainText('0 entrée(s) du journal de l’établissement');
  await expect(history).toContainText('0 décision(s) traitée(s) sur les changements d’identité');
  await expect(history).toContainText('0 sauvegarde(s) de la base du poste prise(s) avant une mise à jour');
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('link', { name: 'Journal' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Journal');
  await expect(page.getByTestId('audit-row').filter({ hasText: 'delegations.grant' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Vérifier l’intégrité' }).click();
  await expect(page.getByTestId('audit-verify')).toContainText('Journal intègre');

  const folder = mkdtempSync(join(tmpdir(), 'ecd-journal-'));
  try {
    const file = join(folder, 'journal.xlsx');
    await page.getByRole('textbox', { name: 'Chemin complet du fichier .xlsx' }).fill(file);
    await page.getByRole('button', { name: 'Exporter', exact: true }).click();
    await expect(page.getByText(/entrée\(s\) exportée\(s\)/)).toBeVisible();
    expect(statSync(file).size).toBeGreaterThan(0);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  await expectNoSeriousA11yViolations(page);
});

test('automatic updates stay off until the head gives the academy’s https server', async ({ signedIn: page, host }) => {
  await page.getByRole('link', { name: 'Paramètres' }).click();
  const section = page.getByTestId('update-settings');
  const toggle = section.getByLabel('Installer automatiquement les mises à jour publiées par l’académie');
  const server = section.getByRole('textbox', { name: 'Adresse du serveur de mises à jour' });
  const save = section.getByRole('button', { name: 'Enregistrer' });
  await expect(toggle).not.toBeChecked();
  await expect(server).toHaveValue('');

  await toggle.check();
  await expect(section.getByText('Indiquez l’adresse du serveur pour activer les mises à jour.')).toBeVisible();
  await server.fill('http://maj.ac-toulouse.fr/educonnect-desk/');
  await expect(section.getByText(/Adresse invalide : une adresse en https:\/\/ est attendue/)).toBeVisible();
  await save.click();
  await expect(section.getByText('Réglages des mises à jour enregistrés.')).toHaveCount(0);

  await server.fill('https://maj.ac-toulouse.fr/educonnect-desk/');
  await save.click();
  await expect(section.getByText('Réglages des mises à jour enregistrés.')).toBeVisible();
  const { body: establishments } = await host.api<{ uai: string }[]>('establishments.list');
  const { body: view } = await host.api<{ local: { updatesEnabled: boolean; updateServerUrl: string | null } }>('settings.get', {
    uai: establishments[0]!.uai,
  });
  expect(view.local).toMatchObject({ updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/educonnect-desk/' });
  await expectNoSeriousA11yViolations(page);

  await toggle.uncheck();
  await save.click();
  await expect(toggle).not.toBeChecked();
});

test('inactivity locks the session over the page; unlocking keeps the unsaved input', async ({ page, host }) => {
  await page.clock.install();
  await host.signIn('chef.demo');
  await page.goto(`${host.url}/#token=${host.token}`);
  await page.getByRole('link', { name: 'Paramètres' }).click();
  const header = page.getByRole('textbox', { name: 'En-tête des courriers' });
  await header.fill('Saisie non enregistrée');
  await page.clock.fastForward('11:00');
  const lock = page.getByTestId('session-lock');
  await expect(lock).toBeVisible();
  await expect(lock).toContainText('Session verrouillée');
  expect((await host.api<{ locked: boolean }>('auth.status')).body.locked).toBe(true);
  await expectNoSeriousA11yViolations(page);

  await lock.locator('input[type="password"]').fill('faux');
  await lock.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(lock.getByRole('alert')).toContainText('incorrect');
  await lock.locator('input[type="password"]').fill(demoOperator('chef.demo').password);
  await lock.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(lock).toHaveCount(0);
  await expect(header).toHaveValue('Saisie non enregistrée');
});

test('after a restart the window opens on the lock screen, and nothing but public methods answers behind it', async ({ page }) => {
  // Its own host on its own data folder: the worker's host must not be restarted under the other tests.
  const data = mkdtempSync(join(tmpdir(), 'ecd-e2e-restart-'));
  const args = ['--port', '0', '--data', data, '--directory', 'demo'];
  const api = async (host: HostProcess, method: string, input: unknown = {}) => {
    const res = await fetch(`${host.url}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  let host = await startHostProcess(args);
  try {
    const chef = demoOperator('chef.demo');
    expect((await api(host, 'auth.signIn', { login: chef.login, password: chef.password })).status).toBe(200);
    await host.stop();
    host = await startHostProcess(args);

    await page.goto(`${host.url}/#token=${host.token}`);
    const lock = page.getByTestId('session-lock');
    await expect(lock).toContainText('EduConnect Desk a redémarré');
    await expect(lock).toContainText(chef.displayName);
    expect(await api(host, 'establishments.list')).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    await expectNoSeriousA11yViolations(page);

    await lock.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect(lock).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  } finally {
    await host.stop();
    rmSync(data, { recursive: true, force: true });
  }
});
