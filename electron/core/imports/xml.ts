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
import { clean } from './values';
import { importStrings } from './strings';

const s = importStrings.refusal;

/**
 * One element read whole, flat: the text of each wanted leaf element inside it (the first of each name), and the
 * repeated groups it holds (STRUCTURE in STRUCTURES_ELEVE…) as elements of their own. No object per leaf: an export
 * holds a few hundred thousand of them. The texts are in an array, one slot per leaf name of its record's spec
 * (`slots`, shared by every element of that spec): cheaper to make and to drop than a map per element.
 */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  values: (string | undefined)[];
  slots: ReadonlyMap<string, number>;
  groups: Map<string, XmlNode[]> | null;
  line: number;
}

/**
 * The text of the first element of that name inside the element, trimmed and with its inner whitespace runs made
 * single spaces (`clean`); null when absent or empty.
 */
export function childText(node: XmlNode, name: string): string | null {
  const slot = node.slots.get(name);
  return slot === undefined ? null : clean(node.values[slot]);
}

export function hasChild(node: XmlNode, name: string): boolean {
  const slot = node.slots.get(name);
  return slot !== undefined && node.values[slot] !== undefined;
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
 * A few element names to look up, by length then by comparison: a tag name saxes hands over is a new string each time,
 * which a map would hash whole first; most names differ in length, and equal-length ones at their first letters.
 */
class NameTable<T> {
  private readonly byLength: (readonly (readonly [string, T])[] | undefined)[] = [];

  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [name, value] of entries) {
      const bucket = (this.byLength[name.length] ??= []) as (readonly [string, T])[];
      if (!bucket.some(([known]) => known === name)) bucket.push([name, value]);
    }
  }

  get(name: string): T | undefined {
    const bucket = this.byLength[name.length];
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]!;
      if (entry[0] === name) return entry[1];
    }
    return undefined;
  }
}

/**
 * A text to keep, as a string of its own. saxes cuts texts out of the decoded chunk it is given, and V8 makes a cut of
 * 13 characters or more (SlicedString::kMinLength) a view into that chunk: kept, an e-mail address would keep its
 * whole chunk (256 KiB) alive. A 5,000-pupil export kept ~19 MB of chunks that way (a tenth of the preview's peak
 * memory). A concatenation, flattened by the cut that follows it, gives a copy of the text's own size.
 */
function own(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** What an element inside a record is: a leaf (its slot, 0 or more) or a group. */
const GROUP = -1;

/** A record's spec as the reader uses it: a slot per leaf name (for childText), and what each wanted name is. */
interface CompiledSpec {
  slots: ReadonlyMap<string, number>;
  size: number;
  /** Leaf names to their slot, group names to GROUP. */
  inside: NameTable<number>;
}

/** One step of the record paths below the root: the elements below it that lead to a record, or the record itself. */
interface Level {
  children: Map<string, Level>;
  /** The same, looked up by the reader. */
  table: NameTable<Level>;
  /** The path as the handler spelled it (`DONNEES/ELEVES/ELEVE`). */
  path: string;
  record: CompiledSpec | null;
}

/**
 * Turns saxes's text handler on and off: twice per leaf, so by its field (a plain store; `on`/`off` look the field
 * up by event name, which measured a few per cent of the reading) when this saxes keeps it where saxes 6 does, else by
 * `on`/`off`.
 */
function textHandlerSwitch(parser: SaxesParser, handler: (text: string) => void): (on: boolean) => void {
  const fields = parser as unknown as { textHandler?: (text: string) => void };
  parser.on('text', handler);
  const direct = fields.textHandler === handler;
  parser.off('text');
  if (direct && fields.textHandler === undefined) {
    return (on) => {
      fields.textHandler = on ? handler : undefined;
    };
  }
  return (on) => {
    if (on) parser.on('text', handler);
    else parser.off('text');
  };
}

const EMPTY_SPEC: CompiledSpec = { slots: new Map(), size: 0, inside: new NameTable([]) };

/** The tree of the record paths, compiled once per map the handler returns (one per kind of file). */
const compiled = new WeakMap<ReadonlyMap<string, RecordSpec>, Level>();

function compile(records: ReadonlyMap<string, RecordSpec>): Level {
  const known = compiled.get(records);
  if (known) return known;
  const root: Level = { children: new Map(), table: new NameTable([]), path: '', record: null };
  for (const [path, spec] of records) {
    let level = root;
    for (const step of path.split('/')) {
      let next = level.children.get(step);
      if (next === undefined) {
        next = { children: new Map(), table: new NameTable([]), path: level.path === '' ? step : `${level.path}/${step}`, record: null };
        level.children.set(step, next);
      }
      level = next;
    }
    const slots = new Map<string, number>();
    for (const leaf of spec.leaves) slots.set(leaf, slots.size);
    level.path = path;
    const inside = new NameTable<number>([...slots, ...[...(spec.groups ?? [])].filter((g) => !slots.has(g)).map((g) => [g, GROUP] as const)]);
    level.record = { slots, size: slots.size, inside };
  }
  const tables = (level: Level): void => {
    level.table = new NameTable(level.children);
    for (const child of level.children.values()) tables(child);
  };
  tables(root);
  compiled.set(records, root);
  return root;
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
  // Where the parser is below the root, as a level of the tree of the record paths: an element that is no step
  // towards a record is skipped whole, and no path string is built per element. A record is handed over with its
  // path as the handler spelled it.
  const levels: Level[] = [];
  let skipping = 0;
  /** The record and the groups open inside it, and what is read in them. */
  let open: XmlNode[] = [];
  let spec: CompiledSpec = EMPTY_SPEC;
  let recordPath = '';
  /** The slot of the leaf element being read (its text is collected), else -1. */
  let leaf = -1;
  let text = '';

  // Text is only needed inside a leaf: saxes's text handler is set for the leaf's duration only, so that saxes does
  // not build the strings of the indentation between the hundreds of thousands of elements of an export.
  const onText = (chunk: string) => {
    text += chunk;
  };
  const onCdata = (chunk: string) => {
    if (leaf >= 0) text += chunk;
  };
  const node = (tag: SaxesTag): XmlNode => ({
    name: tag.name,
    attributes: tag.attributes as Record<string, string>,
    values: new Array<string | undefined>(spec.size),
    slots: spec.slots,
    groups: null,
    line: parser.line,
  });

  const textSwitch = textHandlerSwitch(parser, onText);
  parser.on('cdata', onCdata);
  parser.on('doctype', () => {
    throw refuse('dtd', s.dtd(name), { file: name, line: parser.line });
  });
  parser.on('opentag', (tag: SaxesTag) => {
    if (skipping > 0 || leaf >= 0) {
      // Inside a skipped element, or markup inside a leaf (none in an export): not read.
      skipping += 1;
      return;
    }
    if (open.length > 0) {
      const slot = spec.inside.get(tag.name);
      if (slot === undefined) skipping = 1;
      else if (slot !== GROUP) {
        leaf = slot;
        text = '';
        textSwitch(true);
      } else {
        const group = node(tag);
        const parent = open[open.length - 1]!;
        parent.groups ??= new Map();
        const list = parent.groups.get(tag.name);
        if (list) list.push(group);
        else parent.groups.set(tag.name, [group]);
        open.push(group);
      }
      return;
    }
    if (levels.length === 0) {
      levels.push(compile(handler.onRoot(tag.name)));
      return;
    }
    const level = levels[levels.length - 1]!.table.get(tag.name);
    if (level === undefined) {
      skipping = 1;
      return;
    }
    levels.push(level);
    if (level.record !== null) {
      spec = level.record;
      recordPath = level.path;
      open = [node(tag)];
    }
  });
  parser.on('closetag', () => {
    if (skipping > 0) {
      skipping -= 1;
      return;
    }
    if (leaf >= 0) {
      textSwitch(false);
      const values = open[open.length - 1]!.values;
      if (values[leaf] === undefined) values[leaf] = own(text);
      leaf = -1;
      return;
    }
    if (open.length > 0) {
      const closed = open.pop()!;
      if (open.length > 0) return;
      levels.pop();
      handler.onRecord(recordPath, closed);
      return;
    }
    levels.pop();
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
    const pieces = decoder!.write(bytes);
    if (decoder!.failed) throw mismatchError(name, declared, decoder!.failed);
    for (const piece of pieces) feed(piece, false);
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
