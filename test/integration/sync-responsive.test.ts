/**
 * Long writes never hold the event loop: through the real core and the demo directory over HTTP (in a process of its
 * own, as a remote directory would be), a 1 ms interval keeps firing while the database is being written — during a
 * full sync, during a resync and its swap, and during a whole rebuild of the account projection that a list read asks
 * for.
 *
 * "While the database is being written" is seen from the outside: at each tick a separate connection tries to take
 * the write lock without waiting. When the core writes on the event loop's own thread, no tick can ever run while it
 * holds that lock (a synchronous write leaves no gap for a timer), so counting such ticks is not a timing race: it is
 * zero, whatever the machine's speed, unless the writes run elsewhere.
 */
import BetterSqlite3 from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { DATABASE_FILE } from '../../electron/core/db/database';
import { projectRoot } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY } from './sync-helpers';

const origin = { transport: 'internal' } as const;
let directory: ChildProcess | null = null;
let core: Core | null = null;
let probe: BetterSqlite3.Database | null = null;
const data = tempDir('ecd-responsive-');

afterEach(async () => {
  probe?.close();
  await core?.shutdown();
  if (directory && directory.exitCode === null) {
    directory.kill('SIGTERM');
    await once(directory, 'exit');
  }
  data.remove();
});

interface Directory {
  url: string;
  adminToken: string;
  operators: { login: string; password: string; uais: string[] }[];
}

/** `npm run directory -- --json` with one establishment of `pupils` pupils. */
async function startDirectoryProcess(pupils: number): Promise<Directory> {
  directory = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/demo-directory/cli.ts', '--json', '--seed', '7', '--establishments', '1', '--pupils', String(pupils), '--today', '2025-10-01'],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: directory.stdout! })) if (line.startsWith('{')) return JSON.parse(line) as Directory;
  throw new Error('the demo directory exited before printing its address');
}

/** Ticks of a 1 ms interval while `work` runs: all of them, those that found the database's write lock taken, the longest gap. */
async function watch<T>(db: BetterSqlite3.Database, work: () => Promise<T>): Promise<{ result: T; ticks: number; whileWriting: number; maxGapMs: number }> {
  let ticks = 0;
  let whileWriting = 0;
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
    try {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      whileWriting++;
    }
  }, 1);
  try {
    const result = await work();
    return { result, ticks, whileWriting, maxGapMs };
  } finally {
    clearInterval(timer);
  }
}

describe('responsiveness during long writes', () => {
  it('keeps the event loop turning during a full sync, a resync swap and a projection rebuild', { timeout: 120_000 }, async () => {
    const directory = await startDirectoryProcess(1500);
    const dataDir = join(data.path, 'app');
    core = createCore({
      dataDir,
      directory: directory.url,
      appVersion: '0.0.0-test',
      host: 'browser',
      sync: { retry: FAST_RETRY, pageLimit: 2000, log: () => undefined, probeMs: 100 },
    });
    const c = core;
    probe = new BetterSqlite3(join(dataDir, DATABASE_FILE));
    probe.pragma('busy_timeout = 0');
    const op = directory.operators.find((o) => o.login === 'chef.demo')!;
    const uai = op.uais[0]!;

    // Signing in starts the first (full) sync; the statistics' snapshot after it brings the projection up to date.
    const full = await watch(probe, async () => {
      await c.dispatcher.call('auth.signIn', { login: op.login, password: op.password }, origin);
      await c.directory.scheduler.whenIdle();
      await c.stats.settled();
    });
    const status = await c.dispatcher.call('sync.status', {}, origin);
    expect(status.history[0]).toMatchObject({ uai, outcome: 'success', mode: 'snapshot' });
    expect(full.whileWriting).toBeGreaterThan(0);

    // An expired cursor: the next run takes a snapshot into staging and swaps it in.
    await fetch(`${directory.url}/admin/expire-cursors`, { method: 'POST', headers: { Authorization: `Bearer ${directory.adminToken}` } });
    const resync = await watch(probe, async () => {
      const result = await c.dispatcher.call('sync.run', { uai }, origin);
      await c.stats.settled();
      return result;
    });
    expect(resync.result.runs[0]).toMatchObject({ uai, outcome: 'success', mode: 'resync' });
    expect(resync.whileWriting).toBeGreaterThan(0);

    // A wholesale change asks for a whole rebuild of the account projection, which the next read of the list runs.
    probe.prepare('INSERT INTO acc_dirty (uai, full) VALUES (?, 1) ON CONFLICT (uai) DO UPDATE SET full = 1').run(uai);
    const rebuild = await watch(probe, () => c.dispatcher.call('accounts.search', { kind: 'guardian', uai, limit: 10 }, origin));
    expect(rebuild.result.total).toBeGreaterThan(1000);
    expect(rebuild.ticks).toBeGreaterThan(0);
    expect(rebuild.whileWriting).toBeGreaterThan(0);

    // A generous bound, far above a scheduler hiccup: nothing held the event loop for a second.
    for (const watched of [full, resync, rebuild]) expect(watched.maxGapMs).toBeLessThan(1000);
  });
});
