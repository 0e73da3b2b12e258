/**
 * Snapshot pages and the change feed of one establishment. Cursors and page tokens are opaque to clients:
 * base64url JSON carrying the establishment, the feed sequence and the cursor epoch (bumped to expire them all).
 */
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Change, type ChangesPage, type DirectoryRecord } from '../../shared/directory/wire';
import { DirectoryHttpError } from './http';
import type { DirectoryStore, StoredRow } from './store';

interface CursorState {
  u: string;
  s: number;
  e: number;
}

interface PageState extends CursorState {
  t: string;
  i: string;
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode<T>(token: string): T | null {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

export const encodeCursor = (uai: string, seq: number, epoch: number) => encode({ u: uai, s: seq, e: epoch } satisfies CursorState);

export function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_LIMIT) {
    throw new DirectoryHttpError('INVALID_REQUEST', `Le paramètre limit doit être un entier entre 1 et ${MAX_PAGE_LIMIT}.`);
  }
  return n;
}

export function toRecord(row: StoredRow): DirectoryRecord {
  return { type: row.type, id: row.id, version: row.version, data: JSON.parse(row.data) } as DirectoryRecord;
}

export function toChange(row: StoredRow): Change {
  return row.deleted
    ? { seq: row.seq, op: 'delete', type: row.type, id: row.id, version: row.version }
    : ({ seq: row.seq, op: 'upsert', ...toRecord(row) } as Change);
}

/** A cursor this establishment's feed can still serve, else 410. */
function validCursor(store: DirectoryStore, uai: string, token: string): CursorState {
  const state = decode<CursorState>(token);
  const floor = store.feedFloor(uai) ?? 0;
  if (!state || state.u !== uai || typeof state.s !== 'number' || state.e !== store.epoch || state.s < floor || state.s > store.seq) {
    throw new DirectoryHttpError('CURSOR_EXPIRED', 'Position de synchronisation expirée : une resynchronisation complète est nécessaire.');
  }
  return state;
}

/**
 * A snapshot page as the response body's JSON text, the stored records' data spliced in as stored (it is JSON text
 * already): parsing and re-serializing every record cost the directory more than reading it.
 */
export function snapshotPageJson(store: DirectoryStore, uai: string, pageToken: string | null, limit: number): string {
  const { rows, nextPage, cursor } = snapshotRows(store, uai, pageToken, limit);
  const records = rows.map((r) => `{"type":${JSON.stringify(r.type)},"id":${JSON.stringify(r.id)},"version":${r.version},"data":${r.data}}`);
  return `{"records":[${records.join(',')}],"nextPage":${JSON.stringify(nextPage)},"cursor":${JSON.stringify(cursor)}}`;
}

function snapshotRows(
  store: DirectoryStore,
  uai: string,
  pageToken: string | null,
  limit: number,
): { rows: StoredRow[]; nextPage: string | null; cursor: string } {
  let state: PageState;
  if (pageToken === null) state = { u: uai, s: store.seq, e: store.epoch, t: '', i: '' };
  else {
    const decoded = decode<PageState>(pageToken);
    if (!decoded || decoded.u !== uai || typeof decoded.t !== 'string' || typeof decoded.i !== 'string') {
      throw new DirectoryHttpError('INVALID_REQUEST', 'Jeton de page inconnu.');
    }
    validCursor(store, uai, encodeCursor(uai, decoded.s, decoded.e));
    state = decoded;
  }
  const rows = store.snapshotPage(uai, state.t === '' ? null : { type: state.t, id: state.i }, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextPage: rows.length > limit && last ? encode({ ...state, t: last.type, i: last.id } satisfies PageState) : null,
    cursor: encodeCursor(uai, state.s, state.e),
  };
}

export function changesPage(store: DirectoryStore, uai: string, cursor: string | null, limit: number): ChangesPage {
  if (cursor === null) throw new DirectoryHttpError('INVALID_REQUEST', 'Le paramètre cursor est obligatoire (pris d’un instantané).');
  const state = validCursor(store, uai, cursor);
  const rows = store.changesAfter(uai, state.s, limit + 1);
  const page = rows.slice(0, limit);
  const lastSeq = page.at(-1)?.seq ?? state.s;
  return { changes: page.map(toChange), cursor: encodeCursor(uai, lastSeq, state.e), hasMore: rows.length > limit };
}
