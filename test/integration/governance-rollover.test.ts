/**
 * The end-of-year rollover on a workstation shared by two establishments (the demo operator `multi.demo` is head of
 * both): the rollover of A purges A's old audit entries and the old ones without an establishment, exactly as
 * previewed, and none of B's; every audit chain still verifies. Real core, real SQLite file, real demo directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

const origin = { transport: 'internal' as const };
let directory: DemoDirectory;
let core: Core;
let A: string;
let B: string;
const data = tempDir('ecd-rollover-');

const oldEntry = (uai: string | null, i: number) =>
  core.governance.trail.record({
    method: 'settings.update',
    operator: null,
    at: new Date(Date.UTC(2020, 0, 1 + i)),
    transport: 'internal',
    details: uai ? [{ uai, targetType: 'settings', targetId: 's' }] : [],
    outcome: 'ok',
    errorCode: null,
  });

beforeAll(async () => {
  directory = await startDirectory({ establishments: 2, pupils: 30 });
  core = createCore({
    dataDir: data.path,
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, log: () => undefined, probeMs: 60_000 },
    auth: { failureDelayMs: 0 },
  });
  [A, B] = operator(directory, 'multi.demo').uais as [string, string];
  // Old entries first, as years of use would have left them: 3 of A, 3 of B, 2 without an establishment, interleaved.
  for (let i = 0; i < 8; i++) oldEntry([A, B, null, A, B, null, A, B][i]!, i);
  await core.governance.auth.signIn('multi.demo', operator(directory, 'multi.demo').password);
  for (const uai of [A, B]) await core.dispatcher.call('sync.run', { uai }, origin);
}, 60_000);

afterAll(async () => {
  await core.shutdown();
  await directory.close();
  data.remove();
});

const auditOf = (uai: string) => core.governance.trail.list({ uai, limit: 500 }, null).items.map((e) => e.id);

describe('end-of-year rollover on a shared workstation', () => {
  it('purges exactly what the preview listed, for A and the workstation only; B and every chain stay whole', { timeout: 60_000 }, async () => {
    const preview = await core.dispatcher.call('rollover.preview', { uai: A }, origin);
    expect(preview.audit).toMatchObject({ count: 5, establishment: 3, workstation: 2 });
    const bBefore = auditOf(B);
    expect(bBefore.length).toBeGreaterThanOrEqual(3);

    const result = await core.dispatcher.call('rollover.run', { uai: A, planId: preview.planId }, origin);
    expect(result.auditDeleted).toBe(preview.audit.count);
    expect(auditOf(B)).toEqual(bBefore);
    // Every chain verifies: A's and the workstation's from their new checkpoints, B's whole.
    expect(await core.dispatcher.call('audit.verify', {}, origin)).toMatchObject({ ok: true, purged: 5, problems: [] });
    expect(core.db.prepare('SELECT chain, purged_count FROM audit_checkpoints ORDER BY id').all()).toEqual([
      { chain: A, purged_count: 3 },
      { chain: '', purged_count: 2 },
    ]);
    expect((await core.dispatcher.call('rollover.preview', { uai: A }, origin)).audit).toMatchObject({ count: 0, establishment: 0, workstation: 0 });

    // B's own rollover later purges B's old entries the same way, and the trail still verifies.
    const previewB = await core.dispatcher.call('rollover.preview', { uai: B }, origin);
    expect(previewB.audit).toMatchObject({ establishment: 3, workstation: 0 });
    await core.dispatcher.call('rollover.run', { uai: B, planId: previewB.planId }, origin);
    expect(await core.dispatcher.call('audit.verify', {}, origin)).toMatchObject({ ok: true, purged: 8, problems: [] });
  });
});
