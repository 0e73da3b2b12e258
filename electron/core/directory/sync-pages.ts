/**
 * Reading the sync's pages off the main thread: a page's body, as bytes the main thread fetched, is decoded, parsed
 * and validated against the wire schemas (`readBody`, the client's own rule: a malformed page is rejected whole and
 * fetched again) and turned into mirror writes. `readPage` runs in the page reader thread (writer/reader.ts), which
 * the write worker feeds, so that reading a page and writing the previous one go on side by side; `syncReads` are the
 * write worker's calls for it, and `PageRoom` keeps a page read until its write.
 */
import { ChangesPage, SnapshotPage, type RecordType } from '../../../shared/directory/wire';
import type { MirrorWrite } from './mirror';
import { readBody } from './response-body';

export type PageKind = 'snapshot' | 'changes';

/**
 * A page's mirror writes column by column, as they cross from the reader to the write worker: five arrays of plain
 * values copy between threads several times faster than one object per record.
 */
export interface PageColumns {
  types: RecordType[];
  ids: string[];
  versions: number[];
  seqs: (number | null)[];
  /** Raw JSON of each record's `data`; null for a tombstone. */
  data: (string | null)[];
}

/** A page read: its writes and its position, or why its body does not read. */
export type PageReading =
  | { ok: true; columns: PageColumns; cursor: string; nextPage: string | null; hasMore: boolean }
  | { ok: false; malformed: string };

const utf8 = new TextDecoder();

function columns(n: number): PageColumns {
  return { types: new Array(n), ids: new Array(n), versions: new Array(n), seqs: new Array(n), data: new Array(n) };
}

export function readPage(kind: PageKind, bytes: ArrayBuffer): PageReading {
  const text = utf8.decode(bytes);
  if (kind === 'snapshot') {
    const body = readBody(SnapshotPage, text);
    if (!body.ok) return { ok: false, malformed: body.reason };
    const { records, nextPage, cursor } = body.value;
    const c = columns(records.length);
    records.forEach((r, i) => {
      c.types[i] = r.type;
      c.ids[i] = r.id;
      c.versions[i] = r.version;
      c.seqs[i] = null;
      c.data[i] = JSON.stringify(r.data);
    });
    return { ok: true, columns: c, cursor, nextPage, hasMore: nextPage !== null };
  }
  const body = readBody(ChangesPage, text);
  if (!body.ok) return { ok: false, malformed: body.reason };
  const { changes, cursor, hasMore } = body.value;
  const c = columns(changes.length);
  changes.forEach((change, i) => {
    c.types[i] = change.type;
    c.ids[i] = change.id;
    c.versions[i] = change.version;
    c.seqs[i] = change.seq;
    // A delete is a tombstone.
    c.data[i] = change.op === 'delete' ? null : JSON.stringify(change.data);
  });
  return { ok: true, columns: c, cursor, nextPage: null, hasMore };
}

export function writesOf(c: PageColumns): MirrorWrite[] {
  return c.ids.map((id, i) => ({ type: c.types[i]!, id, version: c.versions[i]!, seq: c.seqs[i]!, data: c.data[i]! }));
}

/** A page read and kept for its write, with its position. */
export interface ReadPage {
  uai: string;
  writes: MirrorWrite[];
  /** A snapshot page: the next page's token (null on the last) and the feed position the snapshot started at; a
   * change-feed page: the position after it. */
  nextPage: string | null;
  cursor: string;
}

/**
 * The pages read and not written yet, by number: a page is read while the one before it is being written, so two of
 * one establishment may wait here at once. A run's end drops what it left.
 */
export class PageRoom {
  private readonly pages = new Map<number, ReadPage>();
  private last = 0;

  put(page: ReadPage): number {
    this.pages.set(++this.last, page);
    return this.last;
  }

  take(uai: string, page: number): ReadPage {
    const found = this.pages.get(page);
    this.pages.delete(page);
    if (found?.uai !== uai) throw new Error(`page ${page} of ${uai} was not read before its write`);
    return found;
  }

  drop(uai: string): void {
    for (const [page, read] of this.pages) if (read.uai === uai) this.pages.delete(page);
  }
}

/** A page's body as the main thread received it: bytes, transferred (not copied) from thread to thread. */
export interface PageBytes {
  uai: string;
  bytes: ArrayBuffer;
}

/** A page read and waiting for its write (`page`), or why its body does not read (fetch it again). */
export type SnapshotPageRead = { page: number; records: number; nextPage: string | null; cursor: string } | { malformed: string };
export type ChangesPageRead = { page: number; records: number; cursor: string; hasMore: boolean } | { malformed: string };

/**
 * The write worker's calls that read pages: no database, so they run as they come, beside its writes (`read` is the
 * page reader thread).
 */
export function syncReads(read: (kind: PageKind, bytes: ArrayBuffer) => Promise<PageReading>, room: PageRoom) {
  const keep = async (kind: PageKind, { uai, bytes }: PageBytes) => {
    const reading = await read(kind, bytes);
    if (!reading.ok) return reading;
    const page = room.put({ uai, writes: writesOf(reading.columns), nextPage: reading.nextPage, cursor: reading.cursor });
    return { ...reading, page, records: reading.columns.ids.length };
  };
  return {
    'sync.readSnapshotPage': async (input: PageBytes): Promise<SnapshotPageRead> => {
      const read = await keep('snapshot', input);
      return 'malformed' in read ? { malformed: read.malformed } : { page: read.page, records: read.records, nextPage: read.nextPage, cursor: read.cursor };
    },
    'sync.readChangesPage': async (input: PageBytes): Promise<ChangesPageRead> => {
      const read = await keep('changes', input);
      return 'malformed' in read ? { malformed: read.malformed } : { page: read.page, records: read.records, cursor: read.cursor, hasMore: read.hasMore };
    },
  };
}
