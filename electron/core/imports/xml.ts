/**
 * Streaming XML reading for SIECLE exports: bytes are decoded chunk by chunk in the encoding the prolog declares
 * (checked against the bytes: encoding.ts) and fed to saxes, a non-validating streaming parser. No tree of the whole
 * file is ever built: only the elements the caller names (one pupil, one person, one link…) are handed over whole, as
 * small trees, as soon as they close. A DTD is refused as soon as it appears (no external entity, no "billion laughs"),
 * and so is any entity beyond XML's five predefined ones; numeric character references (&#233;, &#x153;) are decoded.
 */
import { SaxesParser, type SaxesTag } from 'saxes';
import { ApiError } from '../../../shared/api/errors';
import { CheckedDecoder, readProlog, type EncodingMismatch, type TextEncoding } from './encoding';
import { refuse } from './refuse';
import { importStrings } from './strings';

const s = importStrings.refusal;

/**
 * One element read whole, flat: the text of each wanted leaf element inside it (the first of each name), and the
 * repeated groups it holds (STRUCTURE in STRUCTURES_ELEVE…) as elements of their own. No object per leaf: an export
 * holds a few hundred thousand of them.
 */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  values: Map<string, string>;
  groups: Map<string, XmlNode[]> | null;
  line: number;
}

/** The text of the first element of that name inside the element, trimmed; null when absent or empty. */
export function childText(node: XmlNode, name: string): string | null {
  const text = node.values.get(name);
  if (text === undefined) return null;
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

export function hasChild(node: XmlNode, name: string): boolean {
  return node.values.has(name);
}

/** The groups of that name directly inside the element. */
export function groups(node: XmlNode, name: string): readonly XmlNode[] {
  return node.groups?.get(name) ?? [];
}

/** What to read inside a record: the leaf elements' texts, and the groups (containers read as elements of their own). */
export interface RecordSpec {
  leaves: ReadonlySet<string>;
  groups?: ReadonlySet<string>;
}

export interface XmlHandler {
  /**
   * The root element says what the file is: return the paths below it (e.g. `DONNEES/ELEVES/ELEVE`) of the elements
   * to hand over, with what to read inside them (any other element is skipped with its subtree: an export holds many
   * elements nobody reads), or throw to refuse the file.
   */
  onRoot(name: string): ReadonlyMap<string, RecordSpec>;
  onRecord(path: string, node: XmlNode): void;
}

export interface XmlReadHooks {
  /** Checked between chunks: an abort stops the reading with a CONFLICT `cancelled`. */
  signal?: AbortSignal;
  /** Called after each chunk with its size in bytes. */
  progress?: (bytes: number) => void | Promise<void>;
}

/** Bytes read before the prolog is looked at: the XML declaration is short and always at the start. */
const PROLOG_BYTES = 512;

export function cancelledError(): ApiError {
  return new ApiError('CONFLICT', s.cancelled, { reason: 'cancelled' });
}

function mismatchError(name: string, declared: string, mismatch: EncodingMismatch): ApiError {
  switch (mismatch.kind) {
    case 'utf8-in-latin':
      return refuse('encoding-mismatch', s.utf8InLatin(name, declared, mismatch.sample), { file: name, declared, found: 'utf-8' });
    case 'invalid-utf8':
      return refuse('encoding-mismatch', s.invalidUtf8(name, declared), { file: name, declared, offset: mismatch.offset });
    case 'windows-1252-in-iso':
      return refuse('encoding-mismatch', s.windows1252InIso(name, declared, mismatch.byte), { file: name, declared, offset: mismatch.offset });
  }
}

/**
 * saxes reports "line:column: message" (English and technical: it goes to `details`); anything else thrown while
 * parsing is a fault of ours and stays as it is.
 */
function saxesError(name: string, error: unknown, atEnd: boolean): unknown {
  const match = error instanceof Error ? /^(\d+):(\d+): (.*)$/s.exec(error.message) : null;
  if (!match) return error;
  const line = Number(match[1]);
  const column = Number(match[2]);
  const detail = match[3]!;
  const details = { file: name, line, column, detail };
  if (detail.startsWith('undefined entity')) return refuse('entity', s.entity(name, line), details);
  if (detail.startsWith('document must contain a root element')) return refuse('empty', s.empty(name), details);
  if (atEnd && (detail.startsWith('unclosed tag') || detail.startsWith('unexpected end'))) return refuse('truncated', s.truncated(name, line), details);
  return refuse('malformed', s.malformed(name, line, column, 'la structure du fichier est incorrecte.'), details);
}

/**
 * Reads one XML file from its chunks. Returns the encoding it was read in. Refusals are INVALID_FILE errors with
 * their reason; a cancel is a CONFLICT with reason `cancelled`.
 */
export async function readXml(
  name: string,
  chunks: AsyncIterable<Buffer>,
  handler: XmlHandler,
  hooks: XmlReadHooks = {},
): Promise<{ encoding: TextEncoding }> {
  const parser = new SaxesParser({ position: true });
  // The element path below the root, and what is above a record: elements outside every record path and its
  // prefixes are skipped whole, without building their path.
  const paths: string[] = [''];
  let records: ReadonlyMap<string, RecordSpec> = new Map();
  let prefixes: ReadonlySet<string> = new Set();
  let spec: RecordSpec = { leaves: new Set() };
  let skipping = 0;
  /** The record and the groups open inside it. */
  let open: XmlNode[] = [];
  let recordPath = '';
  /** The leaf element being read (its text is collected), else null. */
  let leaf: string | null = null;
  let text = '';

  // Text is only kept inside a leaf. One handler for the whole file: switching saxes's handler on and off around each
  // leaf (so that it would not build the indentation's strings) measured slower than letting it build them.
  const onText = (chunk: string) => {
    if (leaf !== null) text += chunk;
  };
  const node = (tag: SaxesTag): XmlNode => ({ name: tag.name, attributes: tag.attributes as Record<string, string>, values: new Map(), groups: null, line: parser.line });

  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('doctype', () => {
    throw refuse('dtd', s.dtd(name), { file: name, line: parser.line });
  });
  parser.on('opentag', (tag: SaxesTag) => {
    if (skipping > 0 || leaf !== null) {
      // Inside a skipped element, or markup inside a leaf (none in an export): not read.
      skipping += 1;
      return;
    }
    if (open.length > 0) {
      if (spec.leaves.has(tag.name)) {
        leaf = tag.name;
        text = '';
      } else if (spec.groups?.has(tag.name)) {
        const group = node(tag);
        const parent = open[open.length - 1]!;
        parent.groups ??= new Map();
        const list = parent.groups.get(tag.name);
        if (list) list.push(group);
        else parent.groups.set(tag.name, [group]);
        open.push(group);
      } else skipping = 1;
      return;
    }
    if (paths.length === 1) {
      records = handler.onRoot(tag.name);
      prefixes = new Set([...records.keys()].flatMap((p) => p.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
      paths.push('');
      return;
    }
    const parent = paths[paths.length - 1]!;
    const path = parent === '' ? tag.name : `${parent}/${tag.name}`;
    const inside = records.get(path);
    if (inside) {
      spec = inside;
      open = [node(tag)];
      recordPath = path;
      paths.push(path);
    } else if (prefixes.has(path)) paths.push(path);
    else skipping = 1;
  });
  parser.on('closetag', () => {
    if (skipping > 0) {
      skipping -= 1;
      return;
    }
    if (leaf !== null) {
      const values = open[open.length - 1]!.values;
      if (!values.has(leaf)) values.set(leaf, text);
      leaf = null;
      return;
    }
    if (open.length > 0) {
      const closed = open.pop()!;
      if (open.length > 0) return;
      paths.pop();
      handler.onRecord(recordPath, closed);
      return;
    }
    paths.pop();
  });

  let decoder: CheckedDecoder | null = null;
  let declared = 'UTF-8';
  let head: Buffer[] = [];
  let headBytes = 0;
  let total = 0;

  const feed = (text: string, atEnd: boolean): void => {
    try {
      if (text !== '') parser.write(text);
      if (atEnd) parser.close();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw saxesError(name, error, atEnd);
    }
  };
  const start = (bytes: Buffer): CheckedDecoder => {
    const prolog = readProlog(bytes);
    if (!prolog.ok) {
      if (prolog.reason === 'utf16') throw refuse('encoding-unsupported', s.utf16(name), { file: name, declared: 'UTF-16' });
      throw refuse('encoding-unsupported', s.encodingUnsupported(name, prolog.declared), { file: name, declared: prolog.declared });
    }
    declared = prolog.declared ?? 'UTF-8';
    if (prolog.bom && prolog.encoding !== 'utf-8') throw refuse('encoding-mismatch', s.bomInLatin(name, declared), { file: name, declared, found: 'utf-8' });
    return new CheckedDecoder(prolog.encoding);
  };
  const push = (bytes: Buffer): void => {
    const text = decoder!.write(bytes);
    if (decoder!.failed) throw mismatchError(name, declared, decoder!.failed);
    feed(text, false);
  };

  for await (const chunk of chunks) {
    if (hooks.signal?.aborted) throw cancelledError();
    total += chunk.length;
    if (decoder === null) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < PROLOG_BYTES) continue;
      const bytes = Buffer.concat(head);
      head = [];
      decoder = start(bytes);
      push(bytes);
    } else {
      push(chunk);
    }
    await hooks.progress?.(chunk.length);
  }
  if (hooks.signal?.aborted) throw cancelledError();
  if (decoder === null) {
    const bytes = Buffer.concat(head);
    if (bytes.toString('latin1').trim() === '') throw refuse('empty', s.empty(name), { file: name });
    decoder = start(bytes);
    push(bytes);
  }
  const rest = decoder.end();
  if (rest.mismatch) throw mismatchError(name, declared, rest.mismatch);
  if (total === 0) throw refuse('empty', s.empty(name), { file: name });
  feed(rest.text, true);
  return { encoding: decoder.encoding };
}
