import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';

const areas: { link: string | RegExp; path: string }[] = [
  { link: 'Comptes', path: '/comptes' },
  { link: /^À examiner/, path: '/a-examiner' },
  { link: 'Courriers', path: '/courriers' },
  { link: 'Statistiques', path: '/statistiques' },
  { link: 'Synchronisation', path: '/synchronisation' },
  { link: 'Import', path: '/import' },
  { link: 'Paramètres', path: '/parametres' },
  { link: 'Journal', path: '/journal' },
  { link: "État de l'application", path: '/etat' },
];

test('every navigation entry opens its page, with one heading and no serious accessibility violation', async ({ signedIn: app }) => {
  const nav = app.getByRole('navigation', { name: 'Navigation principale' });
  for (const area of areas) {
    await nav.getByRole('link', { name: area.link, exact: true }).click();
    await expect(app).toHaveURL(new RegExp(`${area.path}$`));
    await expect(app.locator('h1')).toHaveCount(1);
    await expect(app.locator('h1')).toBeVisible();
    await expect(nav.getByRole('link', { name: area.link, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(app).toHaveTitle(/EduConnect Desk/);
    await expectNoSeriousA11yViolations(app);
  }
});

test('the navigation is usable with the keyboard alone', async ({ signedIn: app }) => {
  await app.keyboard.press('Tab');
  await expect(app.getByRole('link', { name: 'Aller au contenu' })).toBeFocused();
  for (let i = 0; i < 30; i++) {
    await app.keyboard.press('Tab');
    const focused = (await app.locator(':focus').textContent()) ?? '';
    if (focused.includes('Synchronisation')) break;
  }
  await app.keyboard.press('Enter');
  await expect(app).toHaveURL(/\/synchronisation$/);
});

test("the status page shows the database's own numbers", async ({ signedIn: app, host }) => {
  await app.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: "État de l'application" }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText("État de l'application");

  const db = new BetterSqlite3(join(host.dataDir, 'educonnect-desk.sqlite'), { readonly: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    await expect(app.getByTestId('status-schema-version')).toContainText(String(version));
    await expect(app.getByTestId('status-data-dir')).toContainText(host.dataDir);
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const rows = db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
      await expect(app.getByTestId(`table-count-${table}`).locator('td').last()).toHaveText(
        new Intl.NumberFormat('fr-FR').format(rows),
      );
    }
  } finally {
    db.close();
  }
});

test('the application state page stays reachable without signing in', async ({ app, host }) => {
  await host.signOut();
  await app.reload();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await app.getByRole('banner').getByRole('link', { name: "État de l'application" }).click();
  await expect(app).toHaveURL(/\/etat$/);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText("État de l'application");
  await expect(app.getByTestId('status-data-dir')).toContainText(host.dataDir);
  await expect(app.getByRole('navigation', { name: 'Navigation principale' })).toHaveCount(0);
  await app.getByRole('banner').getByRole('link', { name: 'Se connecter' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Connexion');
});

test('an unknown address shows a French "page not found" with a way back', async ({ app, host }) => {
  await app.goto(`${host.url}/nulle-part`);
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Page introuvable');
  await expectNoSeriousA11yViolations(app);
});

test('the API refuses a call without the token, as a script would see it', async ({ host }) => {
  const res = await fetch(`${host.url}/api/system.status`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(401);
  const ok = await host.api<{ schemaVersion: number }>('system.status');
  expect(ok.status).toBe(200);
  expect(ok.body.schemaVersion).toBeGreaterThan(0);
});
