/**
 * Convergence under a hostile network: the demo directory injects about 30 % faults (5xx and 429 with Retry-After,
 * connections dropped mid-body, truncated JSON, duplicated and reordered changes, empty non-final pages, expired
 * cursors). The mirror must end equal to the directory, nothing lost and nothing doubled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { expectMirrorEqualsDirectory, openClient, operator, startDirectory, type Client } from './sync-helpers';

let directory: DemoDirectory | null = null;
let client: Client | null = null;

afterEach(async () => {
  await client?.close();
  await directory?.close();
  client = null;
  directory = null;
});

const FAULTS = 'error=0.06,drop=0.06,truncate=0.06,duplicate=0.05,reorder=0.05,empty=0.05,expire=0.02';

describe('sync under injected faults', () => {
  it('converges with nothing lost or doubled', { timeout: 120_000 }, async () => {
    directory = await startDirectory({ faults: FAULTS });
    client = openClient(directory, { pageLimit: 40 });
    const op = operator(directory);
    // Sign-in itself may meet a fault: the operator simply tries again.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.service.signIn(op.login, op.password);
        break;
      } catch (error) {
        if (attempt > 20) throw error;
      }
    }
    await client.service.scheduler.whenIdle();
    client.service.scheduler.stop();

    for (let round = 0; round < 3; round++) {
      directory.advance(7 + round * 10);
      const result = await client.service.run();
      for (const run of result.runs) expect(run.outcome, JSON.stringify(run.error)).toBe('success');
      for (const run of result.runs) expect(run.totals?.match).toBe(true);
    }
    expectMirrorEqualsDirectory(client.db, directory, op.uais);
    // Each id once (a primary key, but the counts against the directory's say the same about live rows).
    const doubled = client.db
      .prepare("SELECT count(*) FROM (SELECT json_extract(data, '$.ine') AS ine FROM dir_pupils WHERE deleted = 0 GROUP BY ine HAVING count(*) > 1)")
      .pluck()
      .get();
    expect(doubled).toBe(0);
  });

  it('rejects a malformed page whole and resumes from the last good cursor', { timeout: 60_000 }, async () => {
    directory = await startDirectory({ faults: 'truncate=0.5' });
    client = openClient(directory, { pageLimit: 30 });
    const op = operator(directory, 'chef.demo');
    await client.service.signIn(op.login, op.password);
    await client.service.scheduler.whenIdle();
    client.service.scheduler.stop();
    const applied = client.db.prepare('SELECT coalesce(sum(records_applied), 0) FROM sync_runs').pluck().get() as number;
    const live = client.db.prepare('SELECT count(*) FROM dir_pupils').pluck().get() as number;
    expect(live).toBeGreaterThan(0);
    // Every record counted once per page that was committed: truncated pages never reached a transaction.
    const total = ['dir_pupils', 'dir_guardians', 'dir_links', 'dir_accounts', 'dir_identity_changes', 'dir_establishment_settings']
      .map((t) => client!.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number)
      .reduce((a, b) => a + b, 0);
    expect(applied).toBe(total);
    expectMirrorEqualsDirectory(client.db, directory, op.uais);
  });
});
