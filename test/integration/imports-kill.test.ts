/**
 * An import application killed with SIGKILL in the middle of its transaction (a real child process, no chance to
 * clean up) leaves nothing applied: no school record, no review item, no audit entry of it, the preview still ready;
 * applying it afterwards works and applies it whole.
 */
import { join } from 'node:path';
import { runAndKill } from '../helpers/kill-child';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { openDatabase } from '../../electron/core/db/database';
import { importSetup, origin, type ImportSetup } from './imports-helpers';

let t: ImportSetup | null = null;
let again: Core | null = null;
afterEach(async () => {
  await again?.shutdown();
  again = null;
  await t?.close();
  t = null;
});

/** Runs the child until it has printed `chunks` chunk lines, then SIGKILLs it; returns how it ended. */
const applyAndKill = (args: string[], chunks: number) => runAndKill('test/integration/imports-kill-child.ts', args, 'chunk ', chunks);

describe('import application killed mid-transaction', () => {
  it('leaves nothing applied, and the preview can still be applied whole', { timeout: 180_000 }, async () => {
    t = await importSetup({ seed: 23, pupils: 900 });
    const base = t.base();
    for (const pupil of base.pupils.slice(0, 20)) pupil.firstName = pupil.firstName.toUpperCase();
    const preview = await t.call('imports.preview', { uai: t.uai, files: t.writeExport(base) });
    expect(preview.counts.pupils + preview.counts.guardians).toBeGreaterThan(1500);
    const dataDir = join(t.dir, 'app');
    const url = t.directory.url;
    await t.core.shutdown();

    expect(await applyAndKill([dataDir, url, preview.previewId], 2)).toBe('SIGKILL');
    const { db } = openDatabase(dataDir);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT count(*) FROM school_records WHERE origin = 'import'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM review_items WHERE origin = 'import'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT state FROM import_previews WHERE id = ?').pluck().get(preview.previewId)).toBe('ready');
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE method = 'imports.apply'").pluck().get()).toBe(0);
    db.close();

    again = createCore({ dataDir, directory: url, appVersion: '0.0.0-test', host: 'browser', access: 'open', sync: { log: () => undefined } });
    const applied = await again.dispatcher.call('imports.apply', { previewId: preview.previewId }, origin);
    expect(applied.reviewItems).toBe(20);
    expect(again.db.prepare("SELECT count(*) FROM school_records WHERE origin = 'import'").pluck().get()).toBe(preview.counts.pupils + preview.counts.guardians);
  });
});
