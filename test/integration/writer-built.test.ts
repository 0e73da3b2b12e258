/**
 * The write worker as the desktop app runs it: the project's own electron-vite main build (electron.vite.config.ts)
 * emits it beside index.js as writer-worker.js; run here under plain Node (no Electron binary on our machines) through
 * the same DatabaseWriter the core uses, it writes a snapshot of real demo records and rebuilds their projection.
 * Everywhere else (tests, dev, the browser host) the worker runs from source: worker-from-source.mjs.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { MIRROR_TABLE } from '../../electron/core/directory/mirror';
import { recordColumns } from '../../electron/core/directory/sync-writes';
import { DatabaseWriter, WRITER_ENTRY_NAME } from '../../electron/core/writer/client';
import { generateAcademy } from '../../electron/demo-directory/generate';
import { DirectoryStore } from '../../electron/demo-directory/store';
import type { DirectoryRecord, RecordType } from '../../shared/directory/wire';
import { projectRoot } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

// Inside the project, so that the bundle's external imports (better-sqlite3) resolve from its node_modules.
const outDir = join(projectRoot, 'test-results', `writer-build-${process.pid}`);
const data = tempDir('ecd-writer-built-');

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  data.remove();
});

describe('the built write worker', () => {
  it('is emitted by the main build and runs under plain Node', { timeout: 120_000 }, async () => {
    mkdirSync(outDir, { recursive: true });
    const { config } = await resolveConfig({ logLevel: 'warn' }, 'build', 'production');
    await build({ ...config!.main, logLevel: 'warn', build: { ...config!.main!.build, outDir } });
    const entry = join(outDir, `${WRITER_ENTRY_NAME}.js`);
    expect(existsSync(entry)).toBe(true);

    const store = new DirectoryStore(':memory:');
    const { establishments } = generateAcademy(store, { seed: 3, establishments: 1, pupils: 40, today: '2025-10-01' });
    const uai = establishments[0]!.uai;
    const records = recordColumns(
      (['pupil', 'guardian', 'link', 'account'] as RecordType[]).flatMap((type) =>
        store.liveRows(uai, type).map((r) => ({ type, id: r.id, version: r.version, data: r.data }) as DirectoryRecord),
      ),
    );
    store.close();

    const { db, file } = openDatabase(data.path);
    const writer = new DatabaseWriter(file, entry);
    try {
      const runId = await writer.call('sync.startRun', { uai, mode: 'snapshot', startedAt: '2025-10-01T08:00:00.000Z' });
      expect(await writer.call('sync.beginSnapshot', { uai, startedAt: '2025-10-01T08:00:00.000Z' })).toBe('live');
      await writer.call('sync.snapshotPage', { uai, runId, records, nextPage: null, cursor: 'c1' });
      await writer.call('projection.refresh', { uai });

      expect(db.prepare(`SELECT count(*) FROM ${MIRROR_TABLE.pupil} WHERE uai = ?`).pluck().get(uai)).toBe(40);
      expect(db.prepare('SELECT cursor FROM sync_state WHERE uai = ?').pluck().get(uai)).toBe('c1');
      expect(db.prepare("SELECT count(*) FROM acc_index WHERE uai = ? AND kind = 'pupil'").pluck().get(uai)).toBe(40);
      expect(db.prepare('SELECT count(*) FROM acc_dirty').pluck().get()).toBe(0);
      // A failure in the worker comes back as an error of the call, with the worker's message.
      const broken = { types: ['pupil' as const], ids: ['p-broken'], versions: [1], seqs: [null], data: ['not json'] };
      await expect(writer.call('sync.snapshotPage', { uai, runId: 1, records: broken, nextPage: null, cursor: 'c2' }))
        .rejects.toThrow(/JSON/i);
    } finally {
      await writer.close();
      db.close();
    }
  });
});
