/**
 * The real Electron shell, end to end: window, preload surface, IPC to the core, the security rules, the desktop-only
 * methods, then a secretary's path through the app (sign-in, sync, every section) and a clean quit.
 * Needs the Electron binary and a build (`electron-vite build`); skips with the reason when no binary is installed
 * (the usual case on build machines, which cannot download it). Detection never requires the `electron` package,
 * because electron@45 downloads its binary lazily on require.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const electronDir = join(root, 'node_modules', 'electron');

function installedElectron(): string | null {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist'), executable);
  return executable && existsSync(binary) ? binary : null;
}

/**
 * The page's globals, typed for this Node-side file (tsconfig.node.json has no DOM lib). Callbacks given to
 * page.evaluate run in the page, so they cast globalThis inline rather than calling a helper from this file.
 */
interface PageGlobals {
  api: {
    invoke(method: unknown, input: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>;
    on(event: string, callback: (payload: unknown) => void): () => void;
  };
  location: { href: string };
  open(url: string): unknown;
  fetch(url: string): Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;
}

const NO_BINARY =
  'No Electron binary installed: node_modules/electron/path.txt or the executable under node_modules/electron/dist/ is missing (run `npx install-electron` where downloads are possible).';
const binary = installedElectron();
if (binary === null) console.warn(`[electron tests] skipped — ${NO_BINARY}`);
test.skip(binary === null, NO_BINARY);

test.describe.configure({ mode: 'serial' });

let app: ElectronApplication;
let page: Page;
let workDir: string;
let dataDir: string;
let closed = false;

test.beforeAll(async () => {
  expect(existsSync(join(root, 'out', 'main', 'index.js')), 'run `electron-vite build` first').toBe(true);
  workDir = mkdtempSync(join(tmpdir(), 'educonnect-desk-electron-'));
  dataDir = join(workDir, 'data');
  // Own data folder (and so own profile and single-instance lock); never node mode nor the dev server.
  const env: Record<string, string> = { EDUCONNECT_DESK_DATA_DIR: dataDir };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== 'ELECTRON_RUN_AS_NODE' && name !== 'ELECTRON_RENDERER_URL') env[name] ??= value;
  }
  // The project root: package.json's "main" is out/main/index.js, and its name and version become the app's.
  app = await electron.launch({ args: [root], cwd: root, env });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  if (!closed) await app?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Calls the API from the page, through the preload and IPC, as the renderer does. */
const invoke = (method: string, input: unknown) =>
  page.evaluate(([m, i]) => (globalThis as unknown as PageGlobals).api.invoke(m, i), [method, input] as const);

test('opens one window titled EduConnect Desk on app://desk/', async () => {
  expect(app.windows()).toHaveLength(1);
  const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');
  expect(title).toContain('EduConnect Desk');
  expect(page.url()).toMatch(/^app:\/\/desk\//);
});

test('exposes exactly window.api with invoke and on, and no Node globals', async () => {
  const surface = await page.evaluate(() => {
    const g = globalThis as unknown as Record<string, unknown>;
    return {
      api: Object.keys(g.api as object).sort(),
      require: typeof g.require,
      process: typeof g.process,
      module: typeof g.module,
      electron: typeof g.electron,
      ipcRenderer: typeof g.ipcRenderer,
    };
  });
  expect(surface).toEqual({
    api: ['invoke', 'on'],
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    electron: 'undefined',
    ipcRenderer: 'undefined',
  });
});

test('answers system.status through IPC with envelopes', async () => {
  const status = await page.evaluate(() => (globalThis as unknown as PageGlobals).api.invoke('system.status', {}));
  expect(status.ok).toBe(true);
  expect(status.result).toMatchObject({ host: 'electron', dataDir, directory: 'demo' });

  const unknown = await page.evaluate(() => (globalThis as unknown as PageGlobals).api.invoke('nope.nothing', {}));
  expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });

  const notAString = await page.evaluate(() => (globalThis as unknown as PageGlobals).api.invoke(42, {}));
  expect(notAString).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

  const unsubscribe = await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).api.on('system.notice', () => undefined));
  expect(unsubscribe).toBe('function');
});

test('serves the renderer with the CSP and refuses path traversal', async () => {
  const response = await page.evaluate(async () => {
    const res = await (globalThis as unknown as PageGlobals).fetch('app://desk/');
    return { status: res.status, csp: res.headers.get('content-security-policy') };
  });
  expect(response.status).toBe(200);
  expect(response.csp).toContain("default-src 'self'");
  expect(response.csp).toContain("object-src 'none'");

  const traversal = await page.evaluate(async () => {
    const res = await (globalThis as unknown as PageGlobals).fetch('app://desk/..%2F..%2Fpackage.json');
    return { status: res.status, body: await res.text() };
  });
  expect(traversal.status).toBe(403);
  expect(traversal.body).not.toContain('allowScripts');
});

test('blocks navigation away from the app and new windows', async () => {
  const before = page.url();
  await page.evaluate(() => {
    (globalThis as unknown as PageGlobals).location.href = 'https://example.org/';
  });
  await page.waitForTimeout(1_000);
  expect(page.url()).toBe(before);

  const opened = await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.org/') === null);
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('denies permission requests', async () => {
  const state = await page.evaluate(async () => {
    const nav = (globalThis as unknown as {
      navigator: { permissions: { query(d: { name: string }): Promise<{ state: string }> } };
    }).navigator;
    return (await nav.permissions.query({ name: 'geolocation' })).state;
  });
  expect(state).toBe('denied');
});

test('offers the native save dialog for exports (system.exportTarget, system.chooseSaveFile)', async () => {
  expect(await invoke('auth.signIn', { login: 'chef.demo', password: 'demo-chef' })).toMatchObject({ ok: true });
  const documents = await app.evaluate(({ app: electronApp }) => electronApp.getPath('documents'));
  const target = await invoke('system.exportTarget', { name: 'audit', format: 'xlsx' });
  expect(target).toMatchObject({ ok: true, result: { saveDialog: true } });
  expect((target.result as { path: string }).path).toMatch(/journal-des-actions-\d{4}-\d{2}-\d{2}(-\d+)?\.xlsx$/);
  expect(documents).not.toBe('');

  // The OS dialog cannot be driven from a test: main's dialog.showSaveDialog is replaced by one that answers at once.
  await app.evaluate(({ dialog }) => {
    (dialog as unknown as { showSaveDialog: (...args: unknown[]) => Promise<unknown> }).showSaveDialog = () =>
      Promise.resolve({ canceled: false, filePath: '/tmp/choisi-par-le-test' });
  });
  expect(await invoke('system.chooseSaveFile', { defaultPath: (target.result as { path: string }).path, format: 'xlsx' })).toEqual({
    ok: true,
    result: { path: '/tmp/choisi-par-le-test.xlsx' },
  });
  await invoke('auth.signOut', {});
});

test('offers the native open dialog and opens only the app’s own documents in the system viewer', async () => {
  expect(await invoke('auth.signIn', { login: 'chef.demo', password: 'demo-chef' })).toMatchObject({ ok: true });
  // Neither the OS dialog nor the system viewer can be driven from a test: main's dialog.showOpenDialog and
  // shell.openPath are replaced by ones that answer at once and record what they were given.
  await app.evaluate(({ dialog, shell }) => {
    const g = globalThis as unknown as { opened: string[] };
    g.opened = [];
    (dialog as unknown as { showOpenDialog: (...args: unknown[]) => Promise<unknown> }).showOpenDialog = () =>
      Promise.resolve({ canceled: false, filePaths: ['/tmp/eleves.csv', '/tmp/outil.sh'] });
    (shell as unknown as { openPath: (path: string) => Promise<string> }).openPath = (path) => {
      g.opened.push(path);
      return Promise.resolve('');
    };
  });
  expect(await invoke('system.chooseOpenFiles', { filters: [{ name: 'Fichiers CSV', extensions: ['csv'] }], multiple: true })).toEqual({
    ok: true,
    result: { paths: ['/tmp/eleves.csv'] },
  });

  const letter = join(dataDir, 'releve.pdf');
  writeFileSync(letter, '%PDF-1.7');
  expect(await invoke('system.openFile', { path: letter })).toMatchObject({ ok: true });
  const stranger = join(workDir, 'inconnu.pdf');
  writeFileSync(stranger, '%PDF-1.7');
  expect(await invoke('system.openFile', { path: stranger })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await app.evaluate(() => (globalThis as unknown as { opened: string[] }).opened)).toEqual([letter]);
  await invoke('auth.signOut', {});
});

test('the Fichier menu opens the data folder', async () => {
  const labels = await app.evaluate(({ Menu }) => {
    const file = Menu.getApplicationMenu()?.items.find((item) => item.label === 'Fichier');
    return file?.submenu?.items.map((item) => item.label) ?? [];
  });
  expect(labels).toContain('Ouvrir le dossier des données');
  // The file manager cannot be driven from a test either: shell.openPath records the folder it is given.
  const opened = await app.evaluate(({ Menu, shell }) => {
    const g = globalThis as unknown as { opened: string[] };
    g.opened = [];
    (shell as unknown as { openPath: (path: string) => Promise<string> }).openPath = (path) => {
      g.opened.push(path);
      return Promise.resolve('');
    };
    const file = Menu.getApplicationMenu()?.items.find((item) => item.label === 'Fichier');
    file?.submenu?.items.find((item) => item.label === 'Ouvrir le dossier des données')?.click();
    return new Promise<string[]>((resolve) => setTimeout(() => resolve(g.opened), 200));
  });
  expect(opened).toEqual([dataDir]);
});

test('signs in from the sign-in screen', async () => {
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await expect(page.getByTestId('signin-directory')).toHaveText('Annuaire de démonstration intégré');
  await page.getByRole('button', { name: 'Utiliser ce compte : multi.demo' }).click();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('navigation', { name: 'Navigation principale' })).toBeVisible();
  await expect(page).toHaveURL(/\/comptes$/);
  await expect(page.getByTestId('session-operator')).toBeVisible();
});

test('syncs the chosen establishment from the Synchronisation page', async () => {
  test.setTimeout(180_000);
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Synchronisation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Synchronisation');
  const run = page.getByRole('button', { name: 'Synchroniser maintenant' });
  // A first automatic sync may be running after sign-in: the button comes back when it ends.
  await expect(run).toBeEnabled({ timeout: 120_000 });
  await run.click();
  const summary = page.getByTestId('sync-summary');
  await expect(summary).toHaveAttribute('data-outcome', 'success', { timeout: 120_000 });
  await expect(summary).toContainText('Synchronisation terminée');
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('sync-history-row').first()).toBeVisible();
});

const sections: { link: string | RegExp; path: string; heading: string; check?: () => Promise<void> }[] = [
  {
    link: 'Comptes',
    path: '/comptes',
    heading: 'Comptes',
    check: () => expect(page.getByTestId('accounts-total')).toHaveText(/\d+ comptes?$/),
  },
  {
    link: /^À examiner/,
    path: '/a-examiner',
    heading: 'À examiner',
    check: () => expect(page.getByTestId('review-item').first().or(page.getByText('Aucun changement à examiner'))).toBeVisible(),
  },
  { link: 'Courriers', path: '/courriers', heading: 'Courriers' },
  { link: 'Statistiques', path: '/statistiques', heading: 'Statistiques' },
  {
    link: 'Synchronisation',
    path: '/synchronisation',
    heading: 'Synchronisation',
    check: () => expect(page.getByTestId('sync-history-row').first()).toBeVisible(),
  },
  { link: 'Import', path: '/import', heading: 'Import' },
  {
    link: 'Paramètres',
    path: '/parametres',
    heading: 'Paramètres',
    check: async () => {
      await expect(page.getByTestId('local-settings')).toBeVisible();
      // Off by default on a new workstation.
      await expect(page.getByTestId('update-settings').getByLabel('Installer automatiquement les mises à jour publiées par l’académie')).not.toBeChecked();
    },
  },
  {
    link: 'Journal',
    path: '/journal',
    heading: 'Journal',
    check: async () => {
      await page.getByRole('button', { name: 'Vérifier l’intégrité' }).click();
      await expect(page.getByTestId('audit-verify')).toContainText('Journal intègre');
    },
  },
  {
    link: "État de l'application",
    path: '/etat',
    heading: "État de l'application",
    check: async () => {
      await expect(page.getByTestId('status-host')).toContainText('Application de bureau (Electron)');
      await expect(page.getByTestId('status-data-dir')).toContainText(dataDir);
    },
  },
];

test('opens every section from the navigation, each on app://desk/ with its heading', async () => {
  const nav = page.getByRole('navigation', { name: 'Navigation principale' });
  for (const section of sections) {
    await nav.getByRole('link', { name: section.link, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`^app://desk${section.path}$`));
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(section.heading);
    await expect(nav.getByRole('link', { name: section.link, exact: true })).toHaveAttribute('aria-current', 'page');
    await section.check?.();
  }
  const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');
  expect(title).toBe("État de l'application — EduConnect Desk");
});

test('quits cleanly: the database is closed and the window’s place saved before the process ends', async () => {
  await app.close();
  closed = true;
  // better-sqlite3 removes the WAL file when the last connection closes cleanly.
  expect(existsSync(join(dataDir, 'educonnect-desk.sqlite-wal'))).toBe(false);
  const state = JSON.parse(readFileSync(join(dataDir, 'electron-profile', 'window-state.json'), 'utf8')) as { bounds: { width: number } };
  expect(state.bounds.width).toBeGreaterThan(0);
});
