import BetterSqlite3 from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from '@playwright/test';
import type { EstablishmentItem, SyncStatus } from '../../shared/api/contract';
import { projectRoot, startHostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';

async function openSyncPage(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Synchronisation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Synchronisation');
}

async function chooseEstablishment(page: Page, e: EstablishmentItem): Promise<void> {
  await page.getByRole('combobox', { name: 'Établissement' }).click();
  await page.getByRole('option', { name: `${e.name} (${e.uai})` }).click();
  await expect(page.getByTestId('statusbar-establishment')).toContainText(`${e.name} (UAI ${e.uai})`);
}

test('"Synchroniser maintenant" runs a sync of the chosen establishment, reports it and lists it in the history', async ({ signedIn: page, host }) => {
  const { body: establishments } = await host.api<EstablishmentItem[]>('establishments.list');
  expect(establishments.length).toBeGreaterThan(1);
  const target = establishments[1]!;
  await openSyncPage(page);
  await chooseEstablishment(page, target);
  await expect(page.getByRole('heading', { level: 2, name: `État — ${target.name}` })).toBeVisible();

  const history = page.getByTestId('sync-history-row');
  const runsBefore = await history.count();
  const run = page.getByRole('button', { name: 'Synchroniser maintenant' });
  await expect(run).toBeEnabled();
  await run.click();

  const summary = page.getByTestId('sync-summary');
  await expect(summary).toHaveAttribute('data-outcome', 'success');
  await expect(summary).toContainText('Synchronisation terminée');
  await expect(summary).toContainText("Les totaux de la copie locale correspondent à ceux de l'annuaire.");
  await expect(run).toBeEnabled();
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('sync-state')).toHaveText('Inactif');

  // The counts shown are the mirror's own, and the directory's equal them: no gap marker.
  const { body: status } = await host.api<SyncStatus>('sync.status');
  const mine = status.establishments.find((e) => e.uai === target.uai)!;
  expect(mine.counts.match).toBe(true);
  for (const [type, local] of Object.entries(mine.counts.local)) {
    const row = page.getByTestId(`sync-count-${type}`);
    await expect(row.getByTestId('local')).toHaveAttribute('data-value', String(local));
    await expect(row.getByTestId('directory')).toHaveAttribute('data-value', String(local));
    await expect(row).toHaveAttribute('data-gap', '0');
  }
  expect(mine.counts.local.pupil).toBeGreaterThan(0);
  await expect(page.getByTestId('sync-count-gap')).toHaveCount(0);

  // The run is in the history, newest first, and the status bar shows it as the last sync.
  await expect(history).toHaveCount(runsBefore + 1);
  const newest = status.history.find((h) => h.uai === target.uai)!;
  await expect(history.first()).toHaveAttribute('data-run-id', String(newest.id));
  await expect(history.first()).toHaveAttribute('data-outcome', 'success');
  await expect(history.first()).toContainText('Réussie');
  await expect(page.getByTestId('sync-last-success')).toHaveAttribute('data-value', mine.lastSuccessAt!);
  await expect(page.getByTestId('statusbar-last-sync').locator('time')).toHaveAttribute('datetime', mine.lastSuccessAt!);
  await expect(page.getByTestId('sync-schedule')).toContainText(`Toutes les ${status.intervalMinutes} minutes`);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  await expect(page.getByTestId('statusbar-connectivity')).toHaveAttribute('data-state', 'online');
  await expectNoSeriousA11yViolations(page);

  // The choice of establishment is remembered.
  await page.reload();
  await expect(page.getByTestId('statusbar-establishment')).toContainText(`${target.name} (UAI ${target.uai})`);
});

test('a refused change shows its French error and can be abandoned after confirmation', async ({ signedIn: page, host }) => {
  const { body: establishments } = await host.api<EstablishmentItem[]>('establishments.list');
  const target = establishments[0]!;
  // No mutation method exists yet to create an outbox item, so one refused item is written as the sender would
  // leave it, straight into the real database.
  const db = new BetterSqlite3(join(host.dataDir, 'educonnect-desk.sqlite'));
  let id: number;
  try {
    const now = new Date().toISOString();
    id = Number(
      db
        .prepare(
          `INSERT INTO outbox (uai, idempotency_key, kind, target_type, target_id, if_match, payload, state, attempts,
             last_status, last_error, created_at, updated_at)
           VALUES (?, ?, 'account.unlock', 'account', 'acc-e2e', 3, '{}', 'failed', 1, 422, ?, ?, ?)`,
        )
        .run(target.uai, randomUUID(), 'Compte introuvable dans l’annuaire.', now, now).lastInsertRowid,
    );
  } finally {
    db.close();
  }

  await openSyncPage(page);
  await chooseEstablishment(page, target);
  const item = page.getByTestId(`outbox-item-${id}`);
  await expect(item).toContainText('Déblocage du compte');
  await expect(item).toContainText("Refusée par l'annuaire");
  await expect(item).toContainText('Compte introuvable dans l’annuaire.');
  await expect(item.getByRole('button', { name: 'Réessayer : Déblocage du compte' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await item.getByRole('button', { name: 'Abandonner : Déblocage du compte' }).click();
  const dialog = page.getByRole('dialog', { name: 'Abandonner cette modification ?' });
  await expect(dialog).toContainText("Elle ne sera jamais envoyée à l'annuaire.");
  // Cancelling keeps it.
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(item).toBeVisible();

  await item.getByRole('button', { name: 'Abandonner : Déblocage du compte' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Abandonner la modification' }).click();
  await expect(item).toHaveCount(0);
  await expect(page.getByTestId('outbox-empty')).toBeVisible();
  const { body: left } = await host.api<{ id: number }[]>('outbox.list', { uai: target.uai });
  expect(left.some((o) => o.id === id)).toBe(false);
});

/** A demo directory of its own, in a child process the test can stop to take the network away. */
function startDirectory(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/demo-directory/cli.ts', '--json', '--establishments', '1', '--pupils', '40'],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ url: (JSON.parse(line) as { url: string }).url, child }));
    child.once('exit', (code) => reject(new Error(`demo directory exited with ${code}`)));
  });
}

test('when the directory goes away, an offline banner says work continues on the local copy', async ({ page }) => {
  const directory = await startDirectory();
  const data = tempDir('ecd-e2e-offline-');
  const host = await startHostProcess(['--port', '0', '--data', data.path, '--directory', directory.url]);
  try {
    const signIn = await fetch(`${host.url}/api/auth.signIn`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'chef.demo', password: 'demo-chef' }),
    });
    expect(signIn.status).toBe(200);
    await page.goto(`${host.url}/#token=${host.token}`);
    await openSyncPage(page);
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);

    directory.child.kill('SIGTERM');
    await new Promise((done) => directory.child.once('exit', done));
    await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();

    const banner = page.getByRole('status').filter({ hasText: 'Hors ligne : vous travaillez sur la copie locale.' });
    await expect(banner).toHaveText(
      "Hors ligne : vous travaillez sur la copie locale. Vos modifications seront envoyées à l'annuaire au retour de la connexion.",
      { timeout: 45_000 },
    );
    await expect(page.getByRole('button', { name: 'Synchroniser maintenant' })).not.toBeFocused();
    await expect(page.getByTestId('statusbar-connectivity')).toHaveAttribute('data-state', 'directory-offline');
    await expect(page.getByTestId('sync-state')).toHaveText('Hors ligne');
    await expectNoSeriousA11yViolations(page);
  } finally {
    if (directory.child.exitCode === null) directory.child.kill('SIGKILL');
    await host.stop();
    data.remove();
  }
});
