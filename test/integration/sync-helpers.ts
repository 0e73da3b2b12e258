/**
 * Shared by the sync tests: a real demo directory on 127.0.0.1, a real core database in a temp folder, and a
 * record-by-record comparison of the mirror with the directory's own store.
 */
import type { Database } from 'better-sqlite3';
import { expect } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { DirectoryService } from '../../electron/core/directory/service';
import { MIRROR_TABLE, RECORD_TYPE_LIST } from '../../electron/core/directory/mirror';
import type { RetryPolicy } from '../../electron/core/directory/retry';
import { EventBus } from '../../electron/core/events';
import { JobRegistry } from '../../electron/core/jobs';
import { createDemoDirectory, type DemoDirectory, type DemoDirectoryOptions } from '../../electron/demo-directory/server';
import { tempDir } from '../helpers/temp';

/** Short delays so fault tests take seconds; Retry-After (1–2 s from the demo) is still honoured. */
export const FAST_RETRY: RetryPolicy = { attempts: 12, baseMs: 5, maxMs: 200, retryAfterCapMs: 2500 };

export async function startDirectory(options: DemoDirectoryOptions = {}): Promise<DemoDirectory> {
  return createDemoDirectory({ memory: true, seed: 7, establishments: 2, pupils: 60, today: '2025-10-01', ...options });
}

export interface Client {
  db: Database;
  events: EventBus;
  service: DirectoryService;
  dataDir: string;
  close(): Promise<void>;
}

export function openClient(
  directory: { url: string; adminToken: string },
  options: { dataDir?: string; pageLimit?: number; retry?: RetryPolicy; timeoutMs?: number; probeMs?: number } = {},
): Client {
  const dir = options.dataDir ? null : tempDir('ecd-sync-');
  const dataDir = options.dataDir ?? dir!.path;
  const { db } = openDatabase(dataDir);
  const events = new EventBus();
  const service = new DirectoryService({
    db,
    events,
    dataDir,
    directory: directory.url,
    retry: options.retry ?? FAST_RETRY,
    pageLimit: options.pageLimit ?? 50,
    timeoutMs: options.timeoutMs ?? 5000,
    probeMs: options.probeMs ?? 100,
    log: () => undefined,
    jobs: new JobRegistry(events),
  });
  return {
    db,
    events,
    service,
    dataDir,
    close: async () => {
      await service.close();
      if (db.open) db.close();
      dir?.remove();
    },
  };
}

export function operator(directory: DemoDirectory, login = 'multi.demo'): { login: string; password: string; uais: string[] } {
  const found = directory.operators.find((o) => o.login === login);
  if (!found) throw new Error(`no demo operator ${login}`);
  return found;
}

type Row = { id: string; version: number; data: unknown };

/** The directory's live records of one establishment, per type, from its own store. */
export function directoryRecords(directory: DemoDirectory, uai: string): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const type of RECORD_TYPE_LIST) {
    out[type] = (
      directory.store.db
        .prepare('SELECT id, version, data FROM records WHERE uai = ? AND type = ? AND deleted = 0 ORDER BY id')
        .all(uai, type) as { id: string; version: number; data: string }[]
    ).map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as unknown }));
  }
  return out;
}

export function mirrorRecords(db: Database, uai: string): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const type of RECORD_TYPE_LIST) {
    out[type] = (
      db
        .prepare(`SELECT id, version, data FROM ${MIRROR_TABLE[type]} WHERE uai = ? AND deleted = 0 ORDER BY id`)
        .all(uai) as { id: string; version: number; data: string }[]
    ).map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as unknown }));
  }
  return out;
}

/** Record by record: same ids, same versions, same data (unknown fields included). */
export function expectMirrorEqualsDirectory(db: Database, directory: DemoDirectory, uais: string[]): void {
  for (const uai of uais) {
    const mirror = mirrorRecords(db, uai);
    const truth = directoryRecords(directory, uai);
    for (const type of RECORD_TYPE_LIST) {
      expect(mirror[type]?.length, `${uai} ${type} count`).toBe(truth[type]?.length);
      expect(mirror[type], `${uai} ${type} records`).toEqual(truth[type]);
    }
  }
}
