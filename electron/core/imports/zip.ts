/**
 * The .zip archive SIECLE hands out: each XML entry is streamed from the archive into the XML reader, never unpacked
 * to disk or held whole in memory. yauzl checks that entries are no larger than the archive says; the sizes it says
 * are capped, so an archive that would inflate to gigabytes (a "zip bomb") is refused before anything is read.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { refuse } from './refuse';
import { importStrings } from './strings';

const s = importStrings.refusal;

/** The most an archive may inflate to, all entries together: a 5,000-pupil export with addresses is about 30 MB. */
export const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

export interface ZipEntryReader {
  /** Once the entries are listed: how many bytes they inflate to, all together. */
  opened?(unzipped: number): void;
  /** Reads one XML entry from its stream; `display` names it for the user (« export.zip › Eleves.xml »). */
  xml(display: string, chunks: AsyncIterable<Buffer>, bytes: number): Promise<void>;
  /** An entry that is not XML (a readme, a folder's metadata): skipped, and said so. */
  ignored(display: string): void;
}

export async function readZip(path: string, name: string, reader: ZipEntryReader): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false, decodeStrings: true });
  } catch (error) {
    throw refuse('zip', s.zip(name, technical(error)), { file: name });
  }
  try {
    const entries: yauzl.Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) entries.push(entry);
    } catch (error) {
      throw refuse('zip', s.zip(name, technical(error)), { file: name });
    }
    const files = entries.filter((e) => !e.fileName.endsWith('/'));
    // An .xlsx or .ods workbook is a zip too.
    if (files.some((e) => e.fileName === '[Content_Types].xml' || e.fileName === 'mimetype')) throw refuse('wrong-type', s.spreadsheet(name), { file: name });
    const total = files.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (total > MAX_UNZIPPED_BYTES) throw refuse('too-large', s.zipTooLarge(name, MAX_UNZIPPED_BYTES), { file: name, bytes: total });
    reader.opened?.(total);
    const xml = files.filter((e) => /\.xml$/i.test(e.fileName));
    if (xml.length === 0) throw refuse('zip', s.zipNothing(name), { file: name });
    for (const entry of files) {
      const display = `${name} › ${entry.fileName.split('/').pop()}`;
      if (!/\.xml$/i.test(entry.fileName)) {
        reader.ignored(display);
        continue;
      }
      if (entry.isEncrypted()) throw refuse('zip', s.zip(name, 'fichier chiffré'), { file: name });
      let stream: Readable;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch (error) {
        throw refuse('zip', s.zip(name, technical(error)), { file: name });
      }
      try {
        await reader.xml(display, chunksOf(stream, name), entry.uncompressedSize);
      } finally {
        stream.destroy();
      }
    }
  } finally {
    zip.close();
  }
}

/** The entry's chunks; an inflate or size error in the middle of the entry becomes a refusal of the archive. */
async function* chunksOf(stream: Readable, name: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw refuse('zip', s.zip(name, technical(error)), { file: name });
  }
}

const technical = (error: unknown): string => (error instanceof Error ? error.message : String(error));
