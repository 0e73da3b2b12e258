import { type ChildProcess, spawn } from 'node:child_process';
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

test('find a guardian by part of the name typed without accents, unlock: pending, then confirmed', async ({ page }) => {
  test.setTimeout(90_000);
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
  try {
    await api('auth.signIn', { login: 'chef.demo', password: 'demo-chef' });
    const [establishment] = await api<EstablishmentItem[]>('establishments.list');
    await api('sync.run', { uai: establishment!.uai });
    const locked = await api<{ rows: AccountRow[] }>('accounts.search', {
      kind: 'guardian', uai: establishment!.uai, filters: { state: ['bloque'] }, limit: 100,
    });
    const target = locked.rows.find((r) => unaccented(r.displayName) !== r.displayName && /[À-ÿ]/.test(r.displayName.split(' ')[0]!))
      ?? locked.rows.find((r) => unaccented(r.displayName) !== r.displayName)!;
    expect(target, 'a locked guardian with an accented name').toBeDefined();
    // "Ménard" → "enard": part of the name, no accent, lower case.
    const word = target.displayName.split(' ').find((w) => unaccented(w) !== w)!;
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
    const faults = await fetch(`${directory.url}/admin/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${directory.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ spec: 'latency=2500' }),
    });
    expect(faults.status).toBe(200);
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
    directory.child.kill('SIGTERM');
    await host.stop();
    data.remove();
  }
});
