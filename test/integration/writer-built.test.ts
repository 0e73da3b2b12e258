/**
 * The write worker as the desktop app runs it: the project's own electron-vite main build (electron.vite.config.ts)
 * emits it beside index.js as writer-worker.js; run here under plain Node (no Electron binary on our machines) through
 * the same DatabaseWriter the core uses, it reads and writes a snapshot page of real demo records and rebuilds their
 * projection.
 * Everywhere else (tests, dev, the browser host) the worker runs from source: worker-from-source.mjs.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { MIRROR_TABLE } from '../../electron/core/directory/mirror';
import { DatabaseWriter } from '../../electron/core/writer/client';
import { generateAcademy } from '../../electron/demo-directory/generate';
import { DirectoryStore } from '../../electron/demo-directory/store';
import type { RecordType } from '../../shared/directory/wire';
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
    const entry = join(outDir, 'writer-worker.js');
    expect(existsSync(entry)).toBe(true);
    expect(existsSync(join(outDir, 'page-reader.js'))).toBe(true);

    const store = new DirectoryStore(':memory:');
    const { establishments } = generateAcademy(store, { seed: 3, establishments: 1, pupils: 40, today: '2025-10-01' });
    const uai = establishments[0]!.uai;
    const records = (['pupil', 'guardian', 'link', 'account'] as RecordType[]).flatMap((type) =>
      store.liveRows(uai, type).map((r) => ({ type, id: r.id, version: r.version, data: r.data })),
    );
    const page = (nextPage: string | null, cursor: string) => new TextEncoder().encode(JSON.stringify({ records, nextPage, cursor })).buffer;
    store.close();

    const { db, file } = openDatabase(data.path);
    const writer = new DatabaseWriter(file, { file: entry });
    try {
      const runId = await writer.call('sync.startRun', { uai, mode: 'snapshot', startedAt: '2025-10-01T08:00:00.000Z' });
      expect(await writer.call('sync.beginSnapshot', { uai, startedAt: '2025-10-01T08:00:00.000Z' })).toBe('live');
      const read = await writer.call('sync.readSnapshotPage', { uai, bytes: page(null, 'c1') });
      if ('malformed' in read) throw new Error(read.malformed);
      expect(read).toMatchObject({ records: records.length, nextPage: null, cursor: 'c1' });
      expect(await writer.call('sync.snapshotPage', { uai, runId, page: read.page })).toBe(true);
      await writer.call('projection.refresh', { uai });

      expect(db.prepare(`SELECT count(*) FROM ${MIRROR_TABLE.pupil} WHERE uai = ?`).pluck().get(uai)).toBe(40);
      expect(db.prepare('SELECT cursor FROM sync_state WHERE uai = ?').pluck().get(uai)).toBe('c1');
      expect(db.prepare("SELECT count(*) FROM acc_index WHERE uai = ? AND kind = 'pupil'").pluck().get(uai)).toBe(40);
      expect(db.prepare('SELECT count(*) FROM acc_dirty').pluck().get()).toBe(0);
      // A body that does not read is said so (the engine fetches it again); a failure in the worker comes back as an
      // error of the call, with the worker's message.
      expect(await writer.call('sync.readSnapshotPage', { uai, bytes: page(null, 'c2').slice(0, 100) })).toEqual({ malformed: expect.stringMatching(/^not JSON/) });
      await expect(writer.call('sync.snapshotPage', { uai, runId, page: read.page })).rejects.toThrow(/was not read before its write/);
    } finally {
      await writer.close();
      db.close();
    }
  });
});
