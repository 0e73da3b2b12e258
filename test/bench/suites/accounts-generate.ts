/**
 * Child process of the accounts bench: generates one establishment with the demo generator, copies it into a real
 * mirror in `<dataDir>` (as a first sync leaves it: its projection to be rebuilt whole), has the write worker rebuild
 * the projection with this thread's event loop watched, then applies a small sync-like change and times the
 * incremental refresh. Run apart so that the generation and the rebuild (its worker's heap is this process's) do not
 * count in the parent's RSS. Prints one JSON line: { uai, accounts, rebuild: { ms, loop }, refreshMs, changed }.
 *
 * Usage: tsx accounts-generate.ts <dataDir> <pupils>
 */
import { openDatabase } from '../../../electron/core/db/database';
import { Mirror } from '../../../electron/core/directory/mirror';
import { DatabaseWriter } from '../../../electron/core/writer/client';
import { generateAcademy } from '../../../electron/demo-directory/generate';
import { DirectoryStore } from '../../../electron/demo-directory/store';
import type { AccountData, RecordType } from '../../../shared/directory/wire';
import { watchLoop } from '../loop';

const [dataDir, pupilsArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: accounts-generate.ts <dataDir> <pupils>');
const pupils = Number(pupilsArg ?? 77_000);

const store = new DirectoryStore(':memory:');
const { establishments } = generateAcademy(store, { seed: 42, establishments: 1, pupils, today: '2026-03-02' });
const uai = establishments[0]!.uai;
const { db, file } = openDatabase(dataDir);
const mirror = new Mirror(db);
db.transaction(() => {
  for (const type of ['pupil', 'guardian', 'link', 'account'] as RecordType[]) {
    mirror.writeMany(uai, store.liveRows(uai, type).map((r) => ({ type, id: r.id, version: r.version, seq: null, data: JSON.stringify(r.data) })));
  }
})();
store.close();
const accounts = db.prepare('SELECT count(*) FROM dir_accounts').pluck().get() as number;

const writer = new DatabaseWriter(file);
const rebuild = await watchLoop(() => writer.call('projection.refresh', { uai }));

// A typical daily sync: a few hundred accounts change state (activations, locks) and are written to the mirror.
const changed = db
  .prepare('SELECT id, version, data FROM dir_accounts WHERE uai = ? AND deleted = 0 ORDER BY id LIMIT 500')
  .all(uai) as { id: string; version: number; data: string }[];
db.transaction(() => {
  for (const r of changed) {
    const data = JSON.parse(r.data) as AccountData;
    const next = { ...data, state: data.state === 'active' ? 'bloque' : 'active', lastLoginAt: '2026-03-02T08:00:00.000Z' };
    mirror.write(uai, { type: 'account', id: r.id, version: r.version + 1, seq: null, data: JSON.stringify(next) });
  }
})();
const refresh = await watchLoop(() => writer.call('projection.refresh', { uai }));
await writer.close();
db.close();
process.stdout.write(`${JSON.stringify({ uai, accounts, rebuild: { ms: rebuild.ms, loop: rebuild.loop }, refreshMs: refresh.ms, changed: changed.length })}\n`);
