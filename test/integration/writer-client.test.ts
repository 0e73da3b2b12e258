/**
 * The write worker seen from the main thread: an idle worker keeps no process alive and close() lets one exit; a
 * write of the main thread during a whole rebuild of the projection gets the lock at a gap between the rebuild's
 * transactions instead of waiting for all of them.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { Mirror } from '../../electron/core/directory/mirror';
import { DatabaseWriter } from '../../electron/core/writer/client';
import { generateAcademy } from '../../electron/demo-directory/generate';
import { DirectoryStore } from '../../electron/demo-directory/store';
import type { RecordType } from '../../shared/directory/wire';
import { projectRoot } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/** A process that uses a writer, then has nothing else to do: it must end by itself. */
function runScript(body: string, dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const script = join(dataDir, 'script.mts');
  writeFileSync(
    script,
    `import { openDatabase } from ${JSON.stringify(join(projectRoot, 'electron/core/db/database.ts'))};
     import { DatabaseWriter } from ${JSON.stringify(join(projectRoot, 'electron/core/writer/client.ts'))};
     const { db, file } = openDatabase(${JSON.stringify(join(dataDir, 'app'))});
     const writer = new DatabaseWriter(file);
     await writer.call('projection.refresh', {});
     ${body}
     db.close();
     process.stdout.write('end\\n');`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('the write worker', () => {
  it('keeps no process alive when idle, and lets it exit once closed', { timeout: 60_000 }, () => {
    const data = tempDir('ecd-writer-exit-');
    dirs.push(data);
    const closed = runScript(`await writer.close(); process.stdout.write('closed\\n');`, data.path);
    expect(closed, closed.stderr).toMatchObject({ status: 0, stdout: 'closed\nend\n' });
    const idle = runScript('', data.path);
    expect(idle, idle.stderr).toMatchObject({ status: 0, stdout: 'end\n' });
  });

  it('lets a write of the main thread in between the transactions of a whole rebuild', { timeout: 60_000 }, async () => {
    const data = tempDir('ecd-writer-breath-');
    dirs.push(data);
    const store = new DirectoryStore(':memory:');
    const { establishments } = generateAcademy(store, { seed: 5, establishments: 1, pupils: 3000, today: '2025-10-01' });
    const uai = establishments[0]!.uai;
    const { db, file } = openDatabase(data.path);
    const mirror = new Mirror(db);
    db.transaction(() => {
      for (const type of ['pupil', 'guardian', 'link', 'account'] as RecordType[]) {
        mirror.writeMany(uai, store.liveRows(uai, type).map((r) => ({ type, id: r.id, version: r.version, seq: null, data: JSON.stringify(r.data) })));
      }
    })();
    store.close();
    const writer = new DatabaseWriter(file);
    try {
      const rebuilding = db.prepare('SELECT full FROM acc_dirty WHERE uai = ?').pluck();
      const rebuilt = writer.call('projection.refresh', { uai });
      // The rebuild has claimed the establishment (acc_dirty.full = 2) and is under way in the worker.
      while (rebuilding.get(uai) !== 2) await turn();
      db.prepare("INSERT INTO settings (key, value) VALUES ('test.breath', '1')").run();
      // The write is done and the rebuild is not: it got the lock between two of the rebuild's transactions.
      expect(rebuilding.get(uai)).toBe(2);
      await rebuilt;
      expect(rebuilding.get(uai)).toBeUndefined();
      expect(db.prepare("SELECT count(*) FROM acc_index WHERE uai = ? AND kind = 'pupil'").pluck().get(uai)).toBe(3000);
    } finally {
      await writer.close();
      db.close();
    }
  });
});
