/**
 * Reads the files of one import into a school base: each file is checked (exists, not empty, not too large), its
 * type found from its first bytes (XML, .zip, CSV; a spreadsheet or a PDF is told apart), then read by its source's
 * reader. The files of one import come from one software (SIECLE, ONDE or a mapped CSV). Nothing is written here.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { CsvMapping, ImportFile, ImportFileKind, ImportSource } from '../../../shared/api/methods/imports';
import { ApiError } from '../../../shared/api/errors';
import { checkBase } from './checks';
import { FileFingerprint } from './fingerprint';
import { csvKind, genericCsv, ondeGuardians, ondePupils, readCsvTable, type CsvTable } from './csv';
import { Problems, type ImportedGuardian, type ImportedLink, type ImportedPupil, type SchoolBase } from './model';
import { refuse } from './refuse';
import { SIECLE_KIND_LABELS, SiecleCollector } from './siecle';
import { importStrings } from './strings';
import { cancelledError, readXml } from './xml';
import { readZip } from './zip';

const s = importStrings;

/** An XML export or an archive: SIECLE's largest (pupils with addresses, 5,000 pupils) is some tens of MB. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** A CSV is read whole: a school's pupils and guardians fit in a few MB. */
export const MAX_CSV_BYTES = 64 * 1024 * 1024;

type Detected = 'xml' | 'zip' | 'csv';

export interface ReadOptions {
  /** The establishment imported into: SIECLE files must be its own. */
  uai: string;
  /** The establishment's saved column mapping (generic CSV only). */
  mapping: CsvMapping | null;
  signal?: AbortSignal;
  /** Bytes read so far and in all (the total grows once an archive says how large its content is). */
  progress?: (done: number, total: number) => void | Promise<void>;
}

export interface Checked {
  path: string;
  name: string;
  bytes: number;
  type: Detected;
}

/** A file to read: absolute, existing, a regular file, not empty, not too large; and its type. */
export async function checkFile(path: string): Promise<Checked> {
  const name = basename(path);
  if (!isAbsolute(path)) throw refuse('not-found', s.refusal.notAbsolute(path), { file: path });
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw refuse('not-a-file', s.refusal.notAFile(path), { file: path });
    size = info.size;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw refuse('not-found', s.refusal.notFound(path), { file: path });
    throw refuse('unreadable', s.refusal.unreadable(name, code ?? String(error)), { file: path });
  }
  if (size === 0) throw refuse('empty', s.refusal.empty(name), { file: name });
  if (size > MAX_FILE_BYTES) throw refuse('too-large', s.refusal.tooLarge(name, MAX_FILE_BYTES), { file: name, bytes: size });
  const head = Buffer.alloc(Math.min(size, 4096));
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw refuse('unreadable', s.refusal.unreadable(name, (error as NodeJS.ErrnoException).code ?? String(error)), { file: name });
  }
  const type = detect(head, name);
  if (type === 'csv' && size > MAX_CSV_BYTES) throw refuse('too-large', s.refusal.tooLarge(name, MAX_CSV_BYTES), { file: name, bytes: size });
  return { path, name, bytes: size, type };
}

/** The type of a file from its first bytes (names lie: an .xml saved by a spreadsheet, a .csv that is a workbook). */
export function detect(head: Buffer, name: string): Detected {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05)) return 'zip';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) throw refuse('wrong-type', s.refusal.spreadsheet(name), { file: name });
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') throw refuse('wrong-type', s.refusal.pdf(name), { file: name });
  // UTF-16 (with or without its mark) has zero bytes; the XML reader says it is not read.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'xml';
  const text = head.toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  if (/^\s*</.test(text)) return 'xml';
  if (head.includes(0)) throw refuse('wrong-type', s.refusal.wrongType(name), { file: name });
  if (text.trim() === '') throw refuse('empty', s.refusal.empty(name), { file: name });
  return 'csv';
}

/** Reads every file of one import; see the module comment. */
export async function readSchoolBase(paths: readonly string[], options: ReadOptions): Promise<SchoolBase> {
  if (paths.length === 0) throw refuse('no-data', s.refusal.noFiles);
  const checked: Checked[] = [];
  for (const path of paths) checked.push(await checkFile(path));
  const progress = new ProgressCounter(checked.reduce((n, f) => n + f.bytes, 0), options);

  const csvTables = new Map<Checked, CsvTable>();
  const sources: { file: Checked; source: ImportSource }[] = [];
  const hashes = new Map<Checked, FileFingerprint>(checked.map((f) => [f, new FileFingerprint()]));
  for (const file of checked) {
    if (file.type !== 'csv') {
      sources.push({ file, source: 'siecle' });
      continue;
    }
    const bytes = await readFile(file.path);
    await hashes.get(file)!.add(bytes);
    const table = readCsvTable(file.name, bytes);
    csvTables.set(file, table);
    sources.push({ file, source: csvKind(table.headers) === 'csv' ? 'csv' : 'onde' });
  }
  const distinct = new Set(sources.map((x) => x.source));
  if (distinct.size > 1) {
    throw refuse('mixed-sources', s.refusal.mixedSources(sources.map((x) => `${x.file.name} : ${s.report.sources[x.source]}`).join(', ')), {
      files: sources.map((x) => ({ file: x.file.name, source: x.source })),
    });
  }
  const source = sources[0]!.source;
  const base =
    source === 'siecle'
      ? await readSiecle(checked, options, progress, hashes)
      : readCsvSources(source, checked.map((f) => ({ file: f, table: csvTables.get(f)! })), options);
  const all = createHash('sha256');
  for (const file of checked) all.update(await hashes.get(file)!.digest()).update('\n');
  base.fingerprint = all.digest('hex');
  if (options.signal?.aborted) throw cancelledError();
  if (source !== 'siecle') await progress.add(checked.reduce((n, f) => n + f.bytes, 0));
  if (base.pupils.length === 0 && base.guardians.length === 0) throw refuse('no-data', s.refusal.noData, { files: checked.map((f) => f.name) });
  return base;
}

class ProgressCounter {
  private done = 0;

  constructor(
    private total: number,
    private readonly options: ReadOptions,
  ) {}

  grow(bytes: number): void {
    this.total += bytes;
  }

  async add(bytes: number): Promise<void> {
    this.done += bytes;
    await this.options.progress?.(Math.min(this.done, this.total), this.total);
  }
}

function duplicateKinds(kinds: readonly { name: string; kind: ImportFileKind }[]): void {
  const first = new Map<ImportFileKind, string>();
  for (const { name, kind } of kinds) {
    const previous = first.get(kind);
    if (previous !== undefined) {
      const label = SIECLE_KIND_LABELS[kind] ?? (kind === 'onde-eleves' ? 'des élèves' : kind === 'onde-responsables' ? 'des responsables' : 'CSV');
      throw refuse('duplicate-kind', s.refusal.duplicateKind(previous, name, label), { files: [previous, name], kind });
    }
    first.set(kind, name);
  }
}

/** The file's chunks, hashed as they go by. */
async function* hashing(chunks: AsyncIterable<Buffer>, hash: FileFingerprint): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    await hash.add(chunk);
    yield chunk;
  }
}

async function readSiecle(files: readonly Checked[], options: ReadOptions, progress: ProgressCounter, hashes: ReadonlyMap<Checked, FileFingerprint>): Promise<SchoolBase> {
  const collector = new SiecleCollector(options.uai);
  const listed: ImportFile[] = [];
  const hooks = { signal: options.signal, progress: (bytes: number) => progress.add(bytes) };
  for (const file of files) {
    if (file.type === 'csv') continue;
    if (file.type === 'zip') {
      for await (const chunk of createReadStream(file.path, { highWaterMark: 1 << 18 })) await hashes.get(file)!.add(chunk as Buffer);
      await readZip(file.path, file.name, {
        opened: (unzipped) => progress.grow(unzipped - file.bytes),
        xml: async (display, chunks, bytes) => {
          const handler = collector.handler(display);
          await readXml(display, chunks, handler, hooks);
          handler.finish();
          listed.push({ name: display, kind: collector.kinds.at(-1)!.kind, bytes });
        },
        ignored: (display) => collector.problems.add('warning', 'entry-ignored', { file: file.name, where: s.where.entry(display) }, display),
      });
      continue;
    }
    const handler = collector.handler(file.name);
    await readXml(file.name, hashing(createReadStream(file.path, { highWaterMark: 1 << 18 }), hashes.get(file)!), handler, hooks);
    handler.finish();
    listed.push({ name: file.name, kind: collector.kinds.at(-1)!.kind, bytes: file.bytes });
  }
  duplicateKinds(collector.kinds);
  const { pupils, guardians, links } = collector.build();
  const complete = { pupils: collector.hasPupilsFile, guardians: collector.hasResponsablesFile };
  checkBase({ pupils, guardians, links, complete }, collector.problems);
  return { source: 'siecle', files: listed, uai: options.uai, pupils, guardians, links, complete, problems: collector.problems.list, fingerprint: '' };
}

function readCsvSources(source: 'onde' | 'csv', files: readonly { file: Checked; table: CsvTable }[], options: ReadOptions): SchoolBase {
  const problems = new Problems();
  const kinds = files.map(({ file, table }) => ({ name: file.name, kind: csvKind(table.headers) }));
  duplicateKinds(kinds);
  const listed: ImportFile[] = files.map(({ file, table }) => ({ name: file.name, kind: csvKind(table.headers), bytes: file.bytes }));
  let pupils: ImportedPupil[] = [];
  let guardians: ImportedGuardian[] = [];
  let links: ImportedLink[] = [];
  let complete = { pupils: false, guardians: false };
  if (source === 'onde') {
    const pupilFile = files.find((f) => csvKind(f.table.headers) === 'onde-eleves');
    const guardianFile = files.find((f) => csvKind(f.table.headers) === 'onde-responsables');
    if (pupilFile) pupils = ondePupils(pupilFile.file.name, pupilFile.table, problems);
    if (guardianFile) ({ guardians, links } = ondeGuardians(guardianFile.file.name, guardianFile.table, pupils, problems));
    complete = { pupils: pupilFile !== undefined, guardians: guardianFile !== undefined };
  } else {
    const [only] = files;
    if (!options.mapping) {
      throw refuse('mapping-required', s.refusal.mappingRequired(only!.file.name), { file: only!.file.name, headers: only!.table.headers });
    }
    ({ pupils, guardians, links } = genericCsv(only!.file.name, only!.table, options.mapping, problems));
    complete = { pupils: true, guardians: Boolean(options.mapping['guardian1.lastName']) };
  }
  checkBase({ pupils, guardians, links, complete }, problems);
  return { source, files: listed, uai: null, pupils, guardians, links, complete, problems: problems.list, fingerprint: '' };
}
