/** The scheduler's own logic, driven through its callbacks: offline after an unreachable run, probe, run on return. */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncScheduler } from '../../electron/core/directory/scheduler';

let scheduler: SyncScheduler<{ unreachable: boolean }> | null = null;
afterEach(() => scheduler?.stop());

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('sync scheduler', () => {
  it('runs at start, goes offline when the directory is unreachable, probes, and runs again once back', async () => {
    let reachable = false;
    let runs = 0;
    let probes = 0;
    const changes: boolean[] = [];
    scheduler = new SyncScheduler({
      run: async () => {
        runs++;
        return { unreachable: !reachable };
      },
      probe: async () => {
        probes++;
        return reachable;
      },
      intervalMs: () => 60_000,
      probeMs: 10,
      onOnlineChange: (online) => changes.push(online),
    });
    scheduler.start();
    await until(() => runs === 1 && scheduler!.online === false);
    await until(() => probes >= 2);
    expect(runs).toBe(1); // no full run while the probe fails
    reachable = true;
    await until(() => runs === 2);
    expect(changes).toEqual([false, true]);
    await scheduler.whenIdle();
    // Online again: the next run is a full interval away.
    expect(scheduler.nextRunAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
  });

  it('shares one run between concurrent on-demand calls', async () => {
    let runs = 0;
    scheduler = new SyncScheduler({
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 20));
        return { unreachable: false };
      },
      probe: async () => true,
      intervalMs: () => 60_000,
    });
    const [a, b] = await Promise.all([scheduler.runNow(), scheduler.runNow()]);
    expect(a).toBe(b);
    expect(runs).toBe(1);
    expect(scheduler.nextRunAt).toBeNull(); // not started: on-demand runs schedule nothing
  });
});
