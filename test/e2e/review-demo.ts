/**
 * A demo directory of its own for the review e2e specs, seeded with extra FranceConnect first-name differences on
 * guardians, and a real browser host pointed at it. Also used by the review-keyboard bench suite (no test runner needed).
 */
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';
import type { IdentityChangeData } from '../../shared/directory/wire';
import { startHostProcess, type HostProcess } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

export interface ReviewDemo {
  directory: DemoDirectory;
  host: HostProcess;
  /** Calls the app's API as a script would; fails the test on a non-200 answer. */
  api<T>(method: string, input?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface ReviewDemoOptions {
  seed: number;
  pupils: number;
  /** How many guardians get a first-name change. */
  changes: number;
  /** The directory's new first name for the i-th change. */
  newFirstName(firstName: string, i: number): string;
}

export async function startReviewDemo(options: ReviewDemoOptions): Promise<ReviewDemo> {
  const data = tempDir('ecd-e2e-review-');
  const directory = await createDemoDirectory({ memory: true, seed: options.seed, establishments: 1, pupils: options.pupils, today: '2025-10-01' });
  const uai = directory.establishments[0]!.uai;
  const guardians = directory.store.db
    .prepare("SELECT id, data FROM records WHERE uai = ? AND type = 'guardian' AND deleted = 0 ORDER BY id LIMIT ?")
    .all(uai, options.changes) as { id: string; data: string }[];
  // One a day from 1 September (spread more densely past 28 changes, so that all stay within September).
  const step = 86_400_000 / Math.max(1, Math.ceil(options.changes / 28));
  directory.store.transaction(() => {
    guardians.forEach((g, i) => {
      const firstName = (JSON.parse(g.data) as { firstName: string }).firstName;
      const change: IdentityChangeData = {
        uai,
        personKind: 'guardian',
        personId: g.id,
        field: 'firstName',
        previousValue: firstName,
        newValue: options.newFirstName(firstName, i),
        source: 'franceconnect',
        detectedAt: new Date(Date.UTC(2025, 8, 1, 8) + i * step).toISOString().replace('.000Z', 'Z'),
        status: 'open',
      };
      directory.store.put(uai, 'identityChange', `chg-e2e-${i}`, change);
    });
  });
  const host = await startHostProcess(['--port', '0', '--data', data.path, '--directory', directory.url]);
  return {
    directory,
    host,
    async api<T>(method: string, input: unknown = {}): Promise<T> {
      const res = await fetch(`${host.url}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as T;
      if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${JSON.stringify(body)}`);
      return body;
    },
    async close() {
      await host.stop();
      await directory.close();
      data.remove();
    },
  };
}
