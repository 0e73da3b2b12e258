/**
 * Shared by the imports tests: a real core on a temp data folder, signed in as the head of the demo directory's first
 * establishment and synced, and SIECLE exports of that establishment written to disk from the directory's own data
 * (test/helpers/siecle.ts), which each test edits to make the school base differ from the directory where it wants.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core';
import type { CallOrigin } from '../../electron/core/dispatcher';
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import { elevesXml, fromDemoDirectory, latin9, nomenclatureXml, responsablesXml, type SiecleBase, type SiecleOptions } from '../helpers/siecle';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator } from './sync-helpers';

export const origin: CallOrigin = { transport: 'internal' };

export interface ImportSetup {
  core: Core;
  directory: DemoDirectory;
  uai: string;
  dir: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** A sync run and its ingestion, with any run a decision kicked finished first. */
  sync(): Promise<void>;
  /** The establishment as its SIECLE base would export it today. */
  base(): SiecleBase;
  /** Writes ElevesSansAdresses, ResponsablesAvecAdresses and Nomenclature in a fresh folder; returns their paths. */
  writeExport(base: SiecleBase, options?: Partial<SiecleOptions>): string[];
  close(): Promise<void>;
}

let exports = 0;

export async function importSetup(options: { seed?: number; pupils?: number; establishments?: number; login?: string } = {}): Promise<ImportSetup> {
  const data = tempDir('ecd-imports-');
  const directory = await createDemoDirectory({ memory: true, seed: options.seed ?? 21, establishments: options.establishments ?? 1, pupils: options.pupils ?? 80, today: '2025-10-01' });
  const core = createCore({
    dataDir: join(data.path, 'app'),
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, timeoutMs: 5000, probeMs: 100, log: () => undefined },
  });
  const op = operator(directory, options.login ?? 'chef.demo');
  const uai = op.uais[0]!;
  const call = <M extends MethodName>(method: M, input: MethodInput<M>) => core.dispatcher.call(method, input, origin);
  await call('auth.signIn', { login: op.login, password: op.password });
  const sync = async () => {
    await core.directory.scheduler.whenIdle();
    await call('sync.run', { uai });
    await core.review.ingest(uai);
    await core.directory.scheduler.whenIdle();
  };
  await sync();
  return {
    core,
    directory,
    uai,
    dir: data.path,
    call,
    sync,
    base: () => fromDemoDirectory(directory.store, uai),
    writeExport: (base, extra = {}) => {
      const folder = join(data.path, `export-${++exports}`);
      mkdirSync(folder);
      const o: SiecleOptions = { uai, year: 2025, exportDate: '01/10/2025', ...extra };
      const files: [string, string][] = [
        ['ElevesSansAdresses.xml', elevesXml(o, base.pupils)],
        ['ResponsablesAvecAdresses.xml', responsablesXml(o, base.persons, base.links)],
        ['Nomenclature.xml', nomenclatureXml(o)],
      ];
      return files.map(([name, xml]) => {
        const path = join(folder, name);
        writeFileSync(path, latin9(xml));
        return path;
      });
    },
    close: async () => {
      await core.shutdown();
      await directory.close();
      data.remove();
    },
  };
}
