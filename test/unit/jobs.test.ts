/** The jobs facility alone: one event per step, ids unique while running, cancel, and how a job ends. */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../electron/core/events';
import { JobRegistry } from '../../electron/core/jobs';
import type { JobInfo } from '../../shared/api/contract';

function registry() {
  const events = new EventBus();
  const seen: JobInfo[] = [];
  events.subscribe((event, payload) => {
    if (event === 'job.progress') seen.push(payload as JobInfo);
  });
  return { jobs: new JobRegistry(events), seen };
}

describe('jobs', () => {
  it('reports start, each step and the end through job.progress, then frees the id', async () => {
    const { jobs, seen } = registry();
    const result = await jobs.run({ id: 'j1', kind: 'accountsBulk', uai: '0750654D', label: 'Déblocage de 3 comptes', total: 3 }, async (job) => {
      for (let i = 1; i <= 3; i++) await job.progress(i);
      return 'fait';
    });
    expect(result).toBe('fait');
    expect(seen.map((e) => [e.state, e.done, e.total])).toEqual([
      ['running', 0, 3],
      ['running', 1, 3],
      ['running', 2, 3],
      ['running', 3, 3],
      ['done', 3, 3],
    ]);
    expect(seen.every((e) => e.jobId === 'j1' && e.uai === '0750654D' && e.label === 'Déblocage de 3 comptes')).toBe(true);
    expect(jobs.get('j1')).toBeUndefined();
    expect(jobs.list(['0750654D'])).toEqual([]);
  });

  it('refuses a second job under a running id, in French', async () => {
    const { jobs } = registry();
    const first = jobs.start({ id: 'same', kind: 'sync', uai: '0750654D', label: 'Synchronisation' });
    expect(() => jobs.start({ id: 'same', kind: 'sync', uai: '0750654D', label: 'Synchronisation' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/déjà/) }),
    );
    first.end('done');
    expect(() => jobs.start({ id: 'same', kind: 'sync', uai: '0750654D', label: 'Synchronisation' }).end('done')).not.toThrow();
  });

  it('a cancel reaches the work at its next step and ends the job cancelled; its signal aborts', async () => {
    const { jobs, seen } = registry();
    let steps = 0;
    const running = jobs.run({ id: 'c1', kind: 'accountsExport', uai: '0750654D', label: 'Export' }, async (job) => {
      while (!job.cancelled) await job.progress(++steps, null);
      return job.signal.aborted;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(jobs.list(['0750654D']).map((j) => j.jobId)).toEqual(['c1']);
    expect(jobs.list(['0951099D'])).toEqual([]);
    expect(jobs.cancel('c1')).toBe(true);
    expect(await running).toBe(true);
    expect(seen.at(-1)).toMatchObject({ state: 'cancelled', cancelRequested: true });
    expect(jobs.cancel('c1')).toBe(false);
  });

  it('ends failed when the work throws, and resolves the establishment of running jobs only', async () => {
    const { jobs, seen } = registry();
    const live = jobs.start({ id: 'live', kind: 'sync', uai: '0951099D', label: 'Synchronisation' });
    await expect(jobs.run({ id: 'boom', kind: 'import', uai: '0750654D', label: 'Import' }, async () => Promise.reject(new Error('fichier illisible')))).rejects.toThrow('fichier illisible');
    expect(seen.find((e) => e.jobId === 'boom' && e.state !== 'running')?.state).toBe('failed');
    expect([...jobs.resolve(['live', 'boom', 'nope'])]).toEqual([['live', '0951099D']]);
    live.end('done');
  });
});
