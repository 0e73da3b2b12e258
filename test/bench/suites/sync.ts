/**
 * Sync performance against the demo directory in its own process on loopback (as a remote directory would be):
 * full sync of ~200,000 people (pupils + guardians) with a raw better-sqlite3 upsert of the same rows as baseline,
 * the account projection's whole rebuild that follows a first sync, a delta of 1,000 changes, and a resync with its
 * swap; the main thread's event-loop delay during each long job (the writes run in the write worker), peak memory, and
 * on Linux the CPU each thread and the directory spent per record (docs/sync-performance.md).
 * BENCH_SYNC_PUPILS (per establishment) and BENCH_SYNC_ESTABLISHMENTS shrink it for a quick look.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../electron/core/db/database';
import { HttpDirectoryClient } from '../../../electron/core/directory/client';
import { MIRROR_TABLE, RECORD_TYPE_LIST } from '../../../electron/core/directory/mirror';
import { DirectoryService } from '../../../electron/core/directory/service';
import { withRetry } from '../../../electron/core/directory/retry';
import { EventBus } from '../../../electron/core/events';
import { projectRoot } from '../../helpers/host-process';
import { tempDir } from '../../helpers/temp';
import { processCpu, splitCpu, threadCpu } from '../cpu';
import type { Measurement, Suite } from '../harness';
import { LOOP_GOAL, watchLoop, type LoopDelay } from '../loop';

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

function loopMeasures(what: string, loop: LoopDelay): Measurement[] {
  return [
    { suite: 'sync', metric: `event-loop delay p99 during ${what}`, value: loop.p99, unit: 'ms', goal: `< ${LOOP_GOAL.p99} ms`, met: loop.p99 < LOOP_GOAL.p99 },
    { suite: 'sync', metric: `event-loop delay max during ${what}`, value: loop.max, unit: 'ms', goal: `< ${LOOP_GOAL.max} ms`, met: loop.max < LOOP_GOAL.max },
  ];
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

      // Full sync, with the event loop watched, memory sampled and each thread's CPU read.
      let peakRss = process.memoryUsage.rss();
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }, 50);
      const threadsBefore = threadCpu();
      const directoryBefore = processCpu(directory.child.pid);
      const full = await watchLoop(async () => {
        let records = 0;
        for (const uai of op.uais) {
          const run = await service.engine.run(uai);
          if (run.outcome !== 'success') throw new Error(`full sync of ${uai} failed: ${JSON.stringify(run.error)}`);
          if (run.totals?.match !== true) throw new Error(`full sync of ${uai}: counts differ ${JSON.stringify(run.totals)}`);
          records += run.recordsApplied;
        }
        return records;
      });
      const threadsAfter = threadCpu();
      const directoryAfter = processCpu(directory.child.pid);
      clearInterval(sampler);
      const records = full.result;
      const fullSeconds = full.ms / 1000;
      const rate = records / fullSeconds;
      process.stderr.write(`bench sync: full sync ${records} records in ${fullSeconds.toFixed(1)} s\n`);
      const perRecord = (ms: number) => (ms * 1000) / records;
      const cpu: Measurement[] = [];
      if (threadsBefore && threadsAfter && directoryBefore !== null && directoryAfter !== null) {
        const split = splitCpu(threadsBefore, threadsAfter, 2);
        for (const [name, ms] of [
          ['main thread (HTTP)', split.main],
          ['write worker and page reader (JSON, validation, SQLite)', split.busiest],
          ['other threads of the app (GC, loader)', split.others],
          ['demo directory process', directoryAfter - directoryBefore],
        ] as const) {
          cpu.push({ suite: 'sync', metric: `full sync CPU per record: ${name}`, value: perRecord(ms), unit: 'µs' });
        }
      }

      // The account projection of one establishment, built whole after its first sync (in the write worker).
      const projected = op.uais[0]!;
      const projectedPeople = (db.prepare('SELECT count(*) FROM dir_pupils WHERE uai = ? AND deleted = 0').pluck().get(projected) as number) +
        (db.prepare('SELECT count(*) FROM dir_guardians WHERE uai = ? AND deleted = 0').pluck().get(projected) as number);
      const rebuild = await watchLoop(() => service.writer.call('projection.refresh', { uai: projected }));

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

      // A resync after an expired cursor: staging, then one swap transaction in the worker (once the longest block of
      // the event loop).
      await fetch(`${directory.url}/admin/expire-cursors`, { method: 'POST', headers: { Authorization: `Bearer ${directory.adminToken}` } });
      const resyncRun = await watchLoop(() => service.engine.run(uai));
      const resync = resyncRun.result;
      if (resync.mode !== 'resync' || resync.totals?.match !== true) throw new Error(`resync failed: ${JSON.stringify(resync)}`);

      await service.close();
      db.close();
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
        ...loopMeasures('the full sync', full.loop),
        ...cpu,
        { suite: 'sync', metric: 'peak RSS during the full sync', value: peakRss / 1024 / 1024, unit: 'MiB' },
        { suite: 'sync', metric: `projection rebuild after the first sync (${projectedPeople.toLocaleString('en')} people)`, value: rebuild.ms, unit: 'ms' },
        ...loopMeasures('that rebuild', rebuild.loop),
        { suite: 'sync', metric: `resync of one establishment (${resync.recordsApplied} records, staging + swap)`, value: resyncRun.ms, unit: 'ms' },
        ...loopMeasures('that resync (staging and swap)', resyncRun.loop),
      ] satisfies Measurement[];
    } finally {
      directory?.child.kill('SIGTERM');
      if (directory) await new Promise((r) => directory!.child.once('exit', r));
      data.remove();
    }
  },
};
