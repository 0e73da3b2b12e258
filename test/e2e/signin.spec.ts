import { DEMO_OPERATORS } from '../../shared/directory/demo-operators';
import { demoOperator, expect, expectNoSeriousA11yViolations, test } from './fixtures';

const roleLabels = { chef: "Chef d'établissement", delegue: 'Délégué', secretariat: 'Secrétariat' } as const;

test.beforeEach(async ({ host }) => {
  await host.signOut();
});

test('the demo sign-in screen lists every demo operator and has no serious accessibility violation', async ({ app }) => {
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await expect(app).toHaveTitle(/Connexion — EduConnect Desk/);
  await expect(app.getByTestId('signin-directory')).toHaveText('Annuaire de démonstration intégré');
  // Signed out, only the application state is reachable besides the sign-in screen.
  await expect(app.getByRole('navigation', { name: 'Navigation principale' })).toHaveCount(0);
  const table = app.getByRole('table', { name: /Opérateurs de démonstration/ });
  await expect(table.getByRole('row')).toHaveCount(DEMO_OPERATORS.length + 1);
  for (const operator of DEMO_OPERATORS) {
    const row = table.getByRole('row').filter({ hasText: operator.login });
    await expect(row).toContainText(operator.password);
    await expect(row).toContainText(roleLabels[operator.role]);
    await expect(row.getByRole('button', { name: `Utiliser ce compte : ${operator.login}` })).toBeVisible();
  }
  await expectNoSeriousA11yViolations(app);
});

test('the form explains in French what is missing or refused', async ({ app, host }) => {
  const login = app.getByRole('textbox', { name: 'Identifiant' });
  const password = app.getByLabel('Mot de passe', { exact: false }).and(app.locator('input[type="password"]'));
  await expect(login).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByText('Saisissez votre identifiant.')).toBeVisible();
  await expect(app.getByText('Saisissez votre mot de passe.')).toBeVisible();
  await expect(login).toHaveAttribute('aria-invalid', 'true');
  await expect(login).toBeFocused();

  await login.fill('chef.demo');
  await password.fill('pas-le-bon');
  await password.press('Enter');
  const error = app.getByTestId('signin-error');
  await expect(error).toContainText('Connexion impossible');
  // The directory's own French message, as the API gives it.
  const refused = await host.api<{ error: { message: string } }>('auth.signIn', { login: 'chef.demo', password: 'pas-le-bon' });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  await expect(error).toContainText(refused.body.error.message);
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await expectNoSeriousA11yViolations(app);
});

test('a demo operator picked with the keyboard signs in; the app bar shows who and offers sign-out', async ({ app, host }) => {
  const operator = demoOperator('multi.demo');
  const useButton = app.getByRole('button', { name: `Utiliser ce compte : ${operator.login}` });
  const name = `Utiliser ce compte : ${operator.login}`;
  for (let i = 0; i < 30 && (await app.locator(':focus').getAttribute('aria-label')) !== name; i++) {
    await app.keyboard.press('Tab');
  }
  await expect(useButton).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('textbox', { name: 'Identifiant' })).toHaveValue(operator.login);
  await expect(app.locator('input[type="password"]')).toHaveValue(operator.password);
  // Focus moves to "Se connecter": Enter signs in.
  await expect(app.getByRole('button', { name: 'Se connecter' })).toBeFocused();
  await app.keyboard.press('Enter');

  const nav = app.getByRole('navigation', { name: 'Navigation principale' });
  await expect(nav).toBeVisible();
  await expect(app).toHaveURL(/\/comptes$/);
  const session = app.getByTestId('session-operator');
  await expect(session).toContainText(operator.displayName);
  await expect(session).toContainText(roleLabels[operator.role]);

  // The switcher offers exactly the operator's establishments.
  const { body: status } = await host.api<{ operator: { uais: string[] } }>('auth.status');
  const { body: establishments } = await host.api<{ uai: string; name: string }[]>('establishments.list');
  expect(establishments.map((e) => e.uai).sort()).toEqual([...status.operator.uais].sort());
  const switcher = app.getByRole('combobox', { name: 'Établissement' });
  await switcher.focus();
  await app.keyboard.press('Enter');
  const options = app.getByRole('listbox').getByRole('option');
  await expect(options).toHaveCount(establishments.length);
  for (const e of establishments) await expect(options.filter({ hasText: `${e.name} (${e.uai})` })).toHaveCount(1);
  await app.keyboard.press('Escape');

  await app.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  expect((await host.api<{ signedIn: boolean }>('auth.status')).body.signedIn).toBe(false);
});

test('each demo role signs in and is named in French', async ({ app }) => {
  for (const operator of DEMO_OPERATORS.filter((o) => o.login !== 'multi.demo')) {
    await app.getByRole('button', { name: `Utiliser ce compte : ${operator.login}` }).click();
    await app.getByRole('button', { name: 'Se connecter' }).click();
    await expect(app.getByTestId('session-operator')).toContainText(roleLabels[operator.role]);
    await expect(app.getByTestId('statusbar-establishment')).toContainText(/\(UAI \d{7}[A-Z]\)/);
    await app.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  }
});

