/**
 * system.chooseOpenFiles and system.openFile through the real dispatcher, on real files: UNAVAILABLE in the browser
 * host; in a core given a desktop host (plain functions here: the Electron one is tested in
 * test/electron/desktop-files.vitest.ts), the dialog's choice filtered on the offered types, and the system viewer
 * only for the app's own documents — the data folder's, or a file an export of this run wrote — never a program.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { matchingFilters, WrittenFiles, type DesktopFilesHost } from '../../electron/core/system/open-files';
import { tempDir } from '../helpers/temp';

const ctx = { transport: 'internal' } as const;
const pdf = [{ name: 'Documents PDF', extensions: ['pdf'] }];
const imports = [{ name: 'Fichiers CSV', extensions: ['csv'] }, { name: 'Classeurs Excel', extensions: ['xlsx'] }];

describe('open dialog filters (pure rule)', () => {
  it('keeps only the offered types, whatever the case', () => {
    expect(matchingFilters(['/a/eleves.CSV', '/a/b.xlsx', '/a/c.exe', '/a/sans-extension', '/a/d.csv.exe'], imports)).toEqual([
      '/a/eleves.CSV',
      '/a/b.xlsx',
    ]);
  });
});

describe('the files this run wrote', () => {
  const dir = tempDir('ecd-written-');
  afterAll(() => dir.remove());

  it('remembers existing files only, by their real path, the most recent hundred', () => {
    const written = new WrittenFiles('linux');
    const first = join(dir.path, 'premier.xlsx');
    writeFileSync(first, 'x');
    written.remember(first);
    written.remember(join(dir.path, 'jamais-ecrit.xlsx'));
    expect(written.has(first)).toBe(true);
    expect(written.has(join(dir.path, 'jamais-ecrit.xlsx'))).toBe(false);
    for (let i = 0; i < 100; i++) {
      const file = join(dir.path, `export-${i}.csv`);
      writeFileSync(file, 'x');
      written.remember(file);
    }
    expect(written.has(first)).toBe(false);
    expect(written.has(join(dir.path, 'export-99.csv'))).toBe(true);
  });
});

describe('system.chooseOpenFiles and system.openFile through the dispatcher', () => {
  const data = tempDir('ecd-data-');
  const elsewhere = tempDir('ecd-documents-');
  let browser: Core;
  let desktop: Core;
  const opened: string[] = [];
  let dialogAnswer: string[] | Error = [];
  let openFailure: Error | null = null;
  const asked: { filters: unknown; multiple: boolean }[] = [];
  const desktopFiles: DesktopFilesHost = {
    chooseOpenFiles: (request) => {
      asked.push(request);
      return dialogAnswer instanceof Error ? Promise.reject(dialogAnswer) : Promise.resolve(dialogAnswer);
    },
    openPath: (path) => {
      if (openFailure) return Promise.reject(openFailure);
      opened.push(path);
      return Promise.resolve();
    },
  };
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

  beforeAll(() => {
    browser = createCore({ dataDir: join(data.path, 'browser'), directory: 'demo', appVersion: '1', host: 'browser', access: 'open' });
    desktop = createCore({ dataDir: join(data.path, 'desktop'), directory: 'demo', appVersion: '1', host: 'electron', access: 'open', desktopFiles });
  });
  afterAll(async () => {
    await browser?.shutdown();
    await desktop?.shutdown();
    data.remove();
    elsewhere.remove();
  });
  beforeEach(() => {
    opened.length = 0;
    openFailure = null;
  });

  it('browser host: both are UNAVAILABLE, in French', async () => {
    expect(await refusal(browser.dispatcher.call('system.chooseOpenFiles', { filters: pdf }, ctx))).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('application de bureau'),
    });
    const file = join(browser.dataDir, 'lettre.pdf');
    writeFileSync(file, '%PDF-1.7');
    expect(await refusal(browser.dispatcher.call('system.openFile', { path: file }, ctx))).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('application de bureau'),
    });
  });

  it('the dialog gets the types and returns only files of those types; one file unless multiple', async () => {
    dialogAnswer = ['/home/ana/eleves.csv', '/home/ana/script.sh', '/home/ana/resp.xlsx'];
    expect(await desktop.dispatcher.call('system.chooseOpenFiles', { filters: imports, multiple: true }, ctx)).toEqual({
      paths: ['/home/ana/eleves.csv', '/home/ana/resp.xlsx'],
    });
    expect(asked.at(-1)).toEqual({ filters: imports, multiple: true });
    expect(await desktop.dispatcher.call('system.chooseOpenFiles', { filters: imports }, ctx)).toEqual({ paths: ['/home/ana/eleves.csv'] });
    expect(asked.at(-1)).toMatchObject({ multiple: false });
    dialogAnswer = [];
    expect(await desktop.dispatcher.call('system.chooseOpenFiles', { filters: pdf }, ctx)).toEqual({ paths: [] });
    dialogAnswer = new Error('no display');
    expect(await refusal(desktop.dispatcher.call('system.chooseOpenFiles', { filters: pdf }, ctx))).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/La fenêtre « Ouvrir »/),
    });
  });

  it('filters are checked: an extension is letters and digits, without the dot or a wildcard', async () => {
    for (const extensions of [['.pdf'], ['*'], ['pd f'], []]) {
      expect(await refusal(desktop.dispatcher.call('system.chooseOpenFiles', { filters: [{ name: 'X', extensions }] }, ctx))).toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
  });

  it('opens a PDF of the data folder in the system viewer', async () => {
    mkdirSync(join(desktop.dataDir, 'courriers'), { recursive: true });
    const letter = join(desktop.dataDir, 'courriers', 'lettre.pdf');
    writeFileSync(letter, '%PDF-1.7');
    expect(await desktop.dispatcher.call('system.openFile', { path: letter }, ctx)).toEqual({ path: letter });
    expect(opened).toEqual([letter]);
  });

  it('refuses a document the app did not write, until an export of this run writes it', async () => {
    const file = join(elsewhere.path, 'journal.xlsx');
    writeFileSync(file, 'pas un export');
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: file }, ctx))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('n’a pas été créé par EduConnect Desk'),
    });
    expect(opened).toEqual([]);

    const exported = await desktop.dispatcher.call('audit.export', { uai: '0750654D', path: file, overwrite: true }, ctx);
    expect(exported.path).toBe(file);
    expect(await desktop.dispatcher.call('system.openFile', { path: file }, ctx)).toEqual({ path: file });
    expect(opened).toEqual([file]);
  });

  it('never opens a program, a folder, a relative or missing path — not even in the data folder', async () => {
    const program = join(desktop.dataDir, 'outil.exe');
    writeFileSync(program, 'MZ');
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: program }, ctx))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Seuls les fichiers PDF, Excel (.xlsx) et CSV peuvent être ouverts depuis EduConnect Desk.',
    });
    // The database itself is not a document either.
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: join(desktop.dataDir, 'educonnect-desk.sqlite') }, ctx))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const folder = join(desktop.dataDir, 'dossier.pdf');
    mkdirSync(folder);
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: folder }, ctx))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: 'lettre.pdf' }, ctx))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: join(desktop.dataDir, 'absent.pdf') }, ctx))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('Fichier introuvable'),
    });
    expect(opened).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('follows links before deciding: a .pdf link to a script, or out of the data folder, is refused', async () => {
    const script = join(elsewhere.path, 'script.sh');
    writeFileSync(script, '#!/bin/sh\n');
    symlinkSync(script, join(desktop.dataDir, 'piege.pdf'));
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: join(desktop.dataDir, 'piege.pdf') }, ctx))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Seuls les fichiers PDF'),
    });
    const outside = join(elsewhere.path, 'autre.pdf');
    writeFileSync(outside, '%PDF-1.7');
    symlinkSync(outside, join(desktop.dataDir, 'lien.pdf'));
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: join(desktop.dataDir, 'lien.pdf') }, ctx))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('n’a pas été créé par EduConnect Desk'),
    });
    expect(opened).toEqual([]);
  });

  it('says in French when the system viewer fails', async () => {
    const letter = join(desktop.dataDir, 'releve.pdf');
    writeFileSync(letter, '%PDF-1.7');
    openFailure = new Error('Aucune application associée');
    expect(await refusal(desktop.dispatcher.call('system.openFile', { path: letter }, ctx))).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Le fichier n’a pas pu être ouvert : Aucune application associée',
    });
  });
});
