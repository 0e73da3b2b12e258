/**
 * A sync killed with SIGKILL in the middle of its snapshot (a real child process, no chance to clean up) leaves a
 * consistent database: the next start resumes from the last committed page and converges.
 */
import { runAndKill } from '../helpers/kill-child';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { tempDir } from '../helpers/temp';
import { expectMirrorEqualsDirectory, openClient, operator, startDirectory, type Client } from './sync-helpers';

let directory: DemoDirectory | null = null;
let client: Client | null = null;
const data = tempDir('ecd-kill-');

afterEach(async () => {
  await client?.close();
  await directory?.close();
  data.remove();
});

/** Runs the child until it has printed `pages` page lines, then SIGKILLs it; returns how it ended. */
const syncAndKill = (args: string[], pages: number) => runAndKill('test/integration/sync-kill-child.ts', args, 'page ', pages);

describe('sync killed mid-run', () => {
  it('resumes after SIGKILL and converges', { timeout: 60_000 }, async () => {
    directory = await startDirectory({ pupils: 150, faults: 'latency=15' });
    const op = operator(directory, 'chef.demo');
    const uai = op.uais[0]!;
    const args = [data.path, directory.url, op.login, op.password, uai];

    expect(await syncAndKill(args, 6)).toBe('SIGKILL');
    client = openClient(directory, { dataDir: data.path, pageLimit: 20 });
    const state = client.service.engine.state.get(uai);
    expect(state.cursor).toBeNull(); // the snapshot had not finished
    expect(state.snapshot_next_page).not.toBeNull(); // …but its position was saved with its pages
    const partial = client.service.engine.mirror.counts(uai);
    expect(partial.pupil + partial.guardian + partial.link + partial.account).toBeGreaterThan(0);
    expect(client.service.engine.state.history(5, [uai])[0]?.outcome).toBe('interrupted');
    await client.close();
    client = null;

    // Killed again, this time in the middle of the change feed after the snapshot.
    directory.advance(30);
    expect(await syncAndKill(args, 1_000_000)).toBe('done'); // resumes the snapshot and reads the feed to its end
    directory.advance(30);
    expect(await syncAndKill(args, 2)).toBe('SIGKILL'); // first page of the feed committed, then killed

    client = openClient(directory, { dataDir: data.path, pageLimit: 20 });
    await client.service.ensureClient().then((c) => c.signIn(op.login, op.password));
    const result = await client.service.engine.run(uai);
    expect(result.outcome).toBe('success');
    expect(result.totals?.match).toBe(true);
    expectMirrorEqualsDirectory(client.db, directory, [uai]);
  });
});
