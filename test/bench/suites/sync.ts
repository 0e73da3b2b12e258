/**
 * Sync performance against the demo directory in its own process on loopback (as a remote directory would be):
 * full sync of ~200,000 people (pupils + guardians) with a raw better-sqlite3 upsert of the same rows as baseline,
 * a delta of 1,000 changes, event-loop delay during the full sync, peak memory.
 * BENCH_SYNC_PUPILS (per establishment) and BENCH_SYNC_ESTABLISHMENTS shrink it for a quick look.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../electron/core/db/database';
import { HttpDirectoryClient } from '../../../electron/core/directory/client';
import { MIRROR_TABLE, RECORD_TYPE_LIST } from '../../../electron/core/directory/mirror';
import { DirectoryService } from '../../../electron/core/directory/service';
import { withRetry } from '../../../electron/core/directory/retry';
import { EventBus } from '../../../electron/core/events';
import { projectRoot } from '../../helpers/host-process';
import { tempDir } from '../../helpers/temp';
import type { Measurement, Suite } from '../harness';

const ESTABLISHMENTS = Number(process.env.BENCH_SYNC_ESTABLISHMENTS ?? 8);
/** About 1.43 guardians per pupil in the demo academy: 8 × 10,300 pupils ≈ 200,000 people. */
const PUPILS = Number(process.env.BENCH_SYNC_PUPILS ?? 10_300);
const DELTA_CHANGES = 1000;

interface Started {
  child: ChildProcess;
  url: string;
  adminToken: string;
  operators: { login: string; password: string; uais: string[] }[];
}

async function startDirectoryProcess(dataFile: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/demo-directory/cli.ts', '--json', '--data', dataFile, '--seed', '42',
      '--establishments', String(ESTABLISHMENTS), '--pupils', String(PUPILS), '--today', '2026-03-02'],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('{')) return { child, ...(JSON.parse(line) as Omit<Started, 'child'>) };
  }
  throw new Error('the demo directory exited before printing its address');
}

/** The same rows, straight into an identical schema: the floor any sync could reach. */
function rawUpsert(dataDir: string, rows: Map<string, { id: string; uai: string; version: number; data: string }[]>): number {
  const { db } = openDatabase(join(dataDir, 'raw'));
  const started = performance.now();
  let count = 0;
  for (const type of RECORD_TYPE_LIST) {
    const table = MIRROR_TABLE[type];
    const stmt = db.prepare(
      `INSERT INTO ${table} (id, uai, version, seq, deleted, data) VALUES (?, ?, ?, NULL, 0, ?)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, data = excluded.data WHERE excluded.version > ${table}.version`,
    );
    const list = rows.get(type) ?? [];
    const insert = db.transaction((slice: typeof list) => {
      for (const r of slice) stmt.run(r.id, r.uai, r.version, r.data);
    });
    for (let i = 0; i < list.length; i += 1000) insert(list.slice(i, i + 1000));
    count += list.length;
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

export const sync: Suite = {
  name: 'sync',
  async run() {
    const data = tempDir('ecd-bench-sync-');
    let directory: Started | null = null;
    try {
      process.stderr.write(`bench sync: generating ${ESTABLISHMENTS} × ${PUPILS} pupils…\n`);
      directory = await startDirectoryProcess(join(data.path, 'directory.sqlite'));
      const op = directory.operators.find((o) => o.uais.length === ESTABLISHMENTS) ?? directory.operators[0]!;
      const dataDir = join(data.path, 'app');
      const { db } = openDatabase(dataDir);
      const service = new DirectoryService({
        db,
        events: new EventBus(),
        dataDir,
        directory: directory.url,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      const client = await service.ensureClient();
      await client.signIn(op.login, op.password);
      let people = 0;
      for (const uai of op.uais) {
        const totals = await client.totals(uai);
        if (!totals) throw new Error(`the directory gave no totals for ${uai}`);
        people += totals.pupils + totals.guardians;
      }

      // Full sync, with the event loop watched and memory sampled.
      const loop = monitorEventLoopDelay({ resolution: 10 });
      let peakRss = process.memoryUsage.rss();
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }, 50);
      loop.enable();
      const started = performance.now();
      let records = 0;
      for (const uai of op.uais) {
        const run = await service.engine.run(uai);
        if (run.outcome !== 'success') throw new Error(`full sync of ${uai} failed: ${JSON.stringify(run.error)}`);
        if (run.totals?.match !== true) throw new Error(`full sync of ${uai}: counts differ ${JSON.stringify(run.totals)}`);
        records += run.recordsApplied;
      }
      const fullSeconds = (performance.now() - started) / 1000;
      loop.disable();
      clearInterval(sampler);
      const rate = records / fullSeconds;
      process.stderr.write(`bench sync: full sync ${records} records in ${fullSeconds.toFixed(1)} s\n`);

      const rows = new Map<string, { id: string; uai: string; version: number; data: string }[]>();
      for (const type of RECORD_TYPE_LIST) {
        rows.set(type, db.prepare(`SELECT id, uai, version, data FROM ${MIRROR_TABLE[type]} WHERE deleted = 0`).all() as never);
      }
      const raw = rawUpsert(data.path, rows);
      rows.clear();

      // A delta of 1,000 changes on one establishment, made through the directory's own mutation API.
      const uai = op.uais[0]!;
      const accounts = db
        .prepare("SELECT id, version FROM dir_accounts WHERE uai = ? AND deleted = 0 AND state IN ('non_notifie', 'notifie', 'active') LIMIT ?")
        .all(uai, DELTA_CHANGES) as { id: string; version: number }[];
      const writer = new HttpDirectoryClient({ baseUrl: directory.url });
      const retry = { attempts: 5, baseMs: 50, maxMs: 500, retryAfterCapMs: 2000 };
      await withRetry(() => writer.signIn(op.login, op.password), retry);
      for (let i = 0; i < accounts.length; i += 25) {
        await Promise.all(
          accounts.slice(i, i + 25).map((a, j) =>
            {
              const key = crypto.randomUUID();
              return withRetry(
                () =>
                  writer.mutate(uai, { kind: 'contact.update', targetId: a.id, payload: { email: `bench.${i + j}@example.fr` } }, {
                    idempotencyKey: key,
                    ifMatch: a.version,
                  }),
                retry,
              );
            },
          ),
        );
      }
      const deltaStarted = performance.now();
      const delta = await service.engine.run(uai);
      const deltaMs = performance.now() - deltaStarted;
      if (delta.recordsApplied !== accounts.length) throw new Error(`delta applied ${delta.recordsApplied} changes`);

      // A resync after an expired cursor: staging, then one swap transaction (the longest block of the event loop).
      await fetch(`${directory.url}/admin/expire-cursors`, { method: 'POST', headers: { Authorization: `Bearer ${directory.adminToken}` } });
      const resyncLoop = monitorEventLoopDelay({ resolution: 10 });
      resyncLoop.enable();
      const resyncStarted = performance.now();
      const resync = await service.engine.run(uai);
      const resyncMs = performance.now() - resyncStarted;
      resyncLoop.disable();
      if (resync.mode !== 'resync' || resync.totals?.match !== true) throw new Error(`resync failed: ${JSON.stringify(resync)}`);

      await service.close();
      db.close();
      const p99 = loop.percentile(99) / 1e6;
      return [
        { suite: 'sync', metric: `full sync: ${people.toLocaleString('en')} people, ${records.toLocaleString('en')} records`, value: fullSeconds, unit: 's' },
        {
          suite: 'sync',
          metric: 'full sync throughput (HTTP + validation + upsert)',
          value: rate,
          unit: 'records/s',
          baseline: raw,
          goal: '≥ 50 % of raw upsert',
          met: rate >= raw / 2,
        },
        {
          suite: 'sync',
          metric: `delta of ${accounts.length} changes (one run, totals check included)`,
          value: deltaMs,
          unit: 'ms',
          goal: '< 300 ms',
          met: deltaMs < 300,
        },
        {
          suite: 'sync',
          metric: 'event-loop delay p99 during the full sync',
          value: p99,
          unit: 'ms',
          baseline: loop.max / 1e6,
          goal: '< 50 ms',
          met: p99 < 50,
        },
        { suite: 'sync', metric: 'peak RSS during the full sync', value: peakRss / 1024 / 1024, unit: 'MiB' },
        { suite: 'sync', metric: `resync of one establishment (${resync.recordsApplied} records, staging + swap)`, value: resyncMs, unit: 'ms' },
        { suite: 'sync', metric: 'longest event-loop block during that resync (the swap)', value: resyncLoop.max / 1e6, unit: 'ms' },
      ] satisfies Measurement[];
    } finally {
      directory?.child.kill('SIGTERM');
      if (directory) await new Promise((r) => directory!.child.once('exit', r));
      data.remove();
    }
  },
};
