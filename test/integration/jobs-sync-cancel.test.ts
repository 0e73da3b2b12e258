/**
 * A sync run is a job like any other long task: through the real core and the demo directory over HTTP, jobs.list
 * shows it to an operator of its establishment, jobs.cancel stops it after its current page (committed pages stay),
 * and the next run resumes and converges.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import type { JobInfo } from '../../shared/api/contract';
import { tempDir } from '../helpers/temp';
import { expectMirrorEqualsDirectory, FAST_RETRY, operator, startDirectory } from './sync-helpers';

const origin = { transport: 'internal' } as const;
let directory: DemoDirectory | null = null;
let core: Core | null = null;
const data = tempDir('ecd-jobs-');

afterEach(async () => {
  await core?.shutdown();
  await directory?.close();
  data.remove();
});

describe('a sync run as a job', () => {
  it('is listed, stops when cancelled, and the next run resumes', { timeout: 60_000 }, async () => {
    directory = await startDirectory({ establishments: 1, pupils: 200, faults: 'latency=10' });
    core = createCore({
      dataDir: join(data.path, 'app'),
      directory: directory.url,
      appVersion: '0.0.0-test',
      host: 'browser',
      sync: { retry: FAST_RETRY, pageLimit: 20, log: () => undefined, probeMs: 100 },
    });
    const c = core;
    const op = operator(directory, 'chef.demo');
    const uai = op.uais[0]!;
    const seen: JobInfo[] = [];
    let listed: JobInfo[] = [];
    let cancelled: Promise<{ cancelled: boolean }> | null = null;
    c.events.subscribe((event, payload) => {
      if (event !== 'job.progress') return;
      const info = payload as JobInfo;
      seen.push(info);
      // After a few pages of the first snapshot, the operator stops it.
      if (info.kind === 'sync' && info.done >= 60 && cancelled === null) {
        cancelled = (async () => {
          listed = await c.dispatcher.call('jobs.list', {}, origin);
          return c.dispatcher.call('jobs.cancel', { jobId: info.jobId }, origin);
        })();
      }
    });
    // Signing in starts the scheduled sync.
    await c.dispatcher.call('auth.signIn', { login: op.login, password: op.password }, origin);
    await c.directory.scheduler.whenIdle();
    expect(cancelled).not.toBeNull();
    expect(await cancelled!).toEqual({ cancelled: true });
    expect(listed.map((j) => [j.kind, j.uai, j.state])).toEqual([['sync', uai, 'running']]);

    const last = seen.filter((e) => e.kind === 'sync').at(-1)!;
    expect(last).toMatchObject({ state: 'cancelled', cancelRequested: true });
    const status = await c.dispatcher.call('sync.status', {}, origin);
    expect(status.history[0]).toMatchObject({ uai, outcome: 'interrupted' });
    const partial = c.directory.engine.mirror.counts(uai);
    expect(partial.pupil + partial.guardian + partial.link + partial.account).toBeGreaterThanOrEqual(60);

    const again = await c.dispatcher.call('sync.run', { uai }, origin);
    expect(again.runs[0]).toMatchObject({ uai, outcome: 'success' });
    expectMirrorEqualsDirectory(c.db, directory, [uai]);
    expect(await c.dispatcher.call('jobs.list', {}, origin)).toEqual([]);
  });
});
