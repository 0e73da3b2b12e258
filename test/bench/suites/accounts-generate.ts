/**
 * Child process of the accounts bench: generates one establishment with the demo generator, copies it into a real
 * mirror in `<dataDir>`, builds the account projection, then applies a small sync-like change and brings the projection
 * up to date incrementally. Run apart so that the bench's own data generation does not count in the parent's RSS.
 * Prints one JSON line: { uai, accounts, rebuildMs, refreshMs, changed }.
 *
 * Usage: tsx accounts-generate.ts <dataDir> <pupils>
 */
import { openDatabase } from '../../../electron/core/db/database';
import { ensureFresh, rebuild } from '../../../electron/core/accounts/projection';
import { Mirror } from '../../../electron/core/directory/mirror';
import { generateAcademy } from '../../../electron/demo-directory/generate';
import { DirectoryStore } from '../../../electron/demo-directory/store';
import type { AccountData, RecordType } from '../../../shared/directory/wire';

const [dataDir, pupilsArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: accounts-generate.ts <dataDir> <pupils>');
const pupils = Number(pupilsArg ?? 77_000);

const time = async (fn: () => unknown): Promise<number> => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

const store = new DirectoryStore(':memory:');
const { establishments } = generateAcademy(store, { seed: 42, establishments: 1, pupils, today: '2026-03-02' });
const uai = establishments[0]!.uai;
const { db } = openDatabase(dataDir);
const mirror = new Mirror(db);
db.transaction(() => {
  for (const type of ['pupil', 'guardian', 'link', 'account'] as RecordType[]) {
    for (const r of store.liveRows(uai, type)) mirror.write(uai, { type, id: r.id, version: r.version, seq: null, data: JSON.stringify(r.data) });
  }
})();
store.close();
const accounts = db.prepare('SELECT count(*) FROM dir_accounts').pluck().get() as number;
const rebuildMs = await time(() => rebuild(db, uai));

// A typical daily sync: a few hundred accounts change state (activations, locks) and are written to the mirror.
const changed = db
  .prepare("SELECT id, version, data FROM dir_accounts WHERE uai = ? AND deleted = 0 ORDER BY id LIMIT 500")
  .all(uai) as { id: string; version: number; data: string }[];
db.transaction(() => {
  for (const r of changed) {
    const data = JSON.parse(r.data) as AccountData;
    const next = { ...data, state: data.state === 'active' ? 'bloque' : 'active', lastLoginAt: '2026-03-02T08:00:00.000Z' };
    mirror.write(uai, { type: 'account', id: r.id, version: r.version + 1, seq: null, data: JSON.stringify(next) });
  }
})();
const refreshMs = await time(() => ensureFresh(db, uai));
db.close();
process.stdout.write(`${JSON.stringify({ uai, accounts, rebuildMs, refreshMs, changed: changed.length })}\n`);
