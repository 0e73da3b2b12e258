/**
 * What an import does to an establishment, worked out from the school base it read and a snapshot of the data held
 * (directory mirror, school records, latest review item of each field). Pure: the preview shows the plan, the
 * application recomputes it against the data of that moment and writes it.
 *
 * Matching (docs/imports.md): a pupil by INE, then by SIECLE ELEVE_ID / ONDE id, then by the key it had in an earlier
 * import, then by name and birth date (said so); a guardian by PERSONNE_ID, then by its earlier key, then by name
 * among the directory guardians of its matched children. A directory person is matched once; a person the directory
 * does not know keeps a local id (`imp-…`) until the directory knows it.
 *
 * Differences with the directory become review items of origin `import`, compared as the review compares (emails
 * case-insensitively, mobiles by digits), for the identity fields the file carries. Nothing comes back that the head
 * has already seen: a difference the field's latest item showed (whatever was decided), one a directory change
 * announced (the directory's record lags behind), and, after an accepted change not yet keyed into SIECLE/ONDE, a
 * re-import still holding the old value keeps the accepted one.
 */
import { createHash } from 'node:crypto';
import type { ImportChangeStatus, ImportCounts, ImportDifference, ImportFieldChange, ImportProblem } from '../../../shared/api/methods/imports';
import type { AccountData, GuardianData, IdentityField, PersonKind, PupilData } from '../../../shared/directory/wire';
import { CONTACT_FIELDS, sameContactValue } from '../../../shared/domain/review';
import { SCHOOL_DISPLAY_FIELDS, schoolValueText } from '../../../shared/domain/school-fields';
import { LOCAL_ID_PREFIX, type SchoolRecordData } from '../school/records';
import { labelOf, Problems, type ImportedGuardian, type ImportedPupil, type SchoolBase, type SchoolFields } from './model';
import { nameKey } from './values';

/** What the establishment holds now, as the plan needs it. */
export interface Snapshot {
  uai: string;
  today: string;
  pupils: { id: string; data: PupilData }[];
  guardians: { id: string; data: GuardianData }[];
  links: { guardianId: string; pupilId: string }[];
  accounts: Map<string, Pick<AccountData, 'email' | 'mobile'>>;
  /** `${kind}:${personId}` → the school record's data. */
  schoolRecords: Map<string, { personKind: PersonKind; personId: string; data: SchoolRecordData }>;
  /** `${kind}:${personId}` → field → the field's latest review item (most persons have none). */
  latestItems: Map<string, Map<string, LatestItem>>;
}

export interface LatestItem {
  state: string;
  origin: string;
  schoolValue: string | null;
  previousValue: string | null;
  newValue: string | null;
}

export interface PlannedPerson {
  personKind: PersonKind;
  personId: string;
  label: string;
  status: ImportChangeStatus;
  /** The whole record to store, or null when it stays as it is. */
  write: SchoolRecordData | null;
  fields: ImportFieldChange[];
  differences: ImportDifference[];
  ine: string | null;
  division: string | null;
}

export interface Plan {
  counts: ImportCounts;
  /** Problems found while matching (on top of those found reading the files). */
  problems: ImportProblem[];
}

/** Hears of each planned person as soon as it is worked out (nothing is kept: 15,000 persons stay out of memory). */
export type PersonSink = (person: PlannedPerson) => void;

const schoolKey = (kind: PersonKind, id: string) => `${kind}:${id}`;

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The local id of a person the directory does not know: stable across imports of the same files. */
export function localId(uai: string, kind: PersonKind, key: string): string {
  return `${LOCAL_ID_PREFIX}${uai}-${kind === 'pupil' ? 'e' : 'r'}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** The two values are the same for the review (contacts as the directory stores them, the rest as written). */
export function sameValue(field: string, a: unknown, b: unknown): boolean {
  const x = a === undefined || a === '' ? null : a;
  const y = b === undefined || b === '' ? null : b;
  // Most values are equal as written: no normalisation for them (a preview compares a hundred thousand).
  if (x === y) return true;
  if ((CONTACT_FIELDS as readonly string[]).includes(field)) return sameContactValue(field, x as string | null, y as string | null);
  if (typeof x === 'string' && typeof y === 'string') return x.normalize('NFC') === y.normalize('NFC');
  return JSON.stringify(x) === JSON.stringify(y);
}

/** The fields of the directory record a school value is compared with, per kind (pupils have no mobile, guardians no birth city). */
const DIRECTORY_FIELDS: Record<PersonKind, readonly IdentityField[]> = {
  pupil: ['lastName', 'usageName', 'firstName', 'firstName2', 'birthDate', 'sex', 'birthCity', 'email'],
  guardian: ['lastName', 'usageName', 'firstName', 'birthDate', 'email', 'mobile'],
};

class Matcher {
  private readonly claimed = new Map<string, string>();
  readonly problems = new Problems();
  private readonly byIne = new Map<string, string[]>();
  private readonly pupilBySource = new Map<string, string>();
  private readonly guardianBySource = new Map<string, string>();
  private readonly byImportKey = new Map<string, string>();
  private readonly pupilsByName = new Map<string, string[]>();
  private readonly guardiansOf = new Map<string, string[]>();
  private readonly guardianData: ReadonlyMap<string, GuardianData>;

  constructor(private readonly snapshot: Snapshot) {
    this.guardianData = new Map(snapshot.guardians.map((g) => [g.id, g.data]));
    for (const { id, data } of snapshot.pupils) {
      if (data.ine) push(this.byIne, data.ine.toUpperCase(), id);
      if (data.sourceIds?.siecle) this.pupilBySource.set(`siecle:${data.sourceIds.siecle}`, id);
      if (data.sourceIds?.onde) this.pupilBySource.set(`onde:${data.sourceIds.onde}`, id);
      for (const last of [data.lastName, data.usageName]) {
        if (last) push(this.pupilsByName, `${nameKey(last)}|${nameKey(data.firstName)}|${data.birthDate}`, id);
      }
    }
    for (const { id, data } of snapshot.guardians) {
      if (data.sourceIds?.siecle) this.guardianBySource.set(`siecle:${data.sourceIds.siecle}`, id);
      if (data.sourceIds?.onde) this.guardianBySource.set(`onde:${data.sourceIds.onde}`, id);
    }
    for (const { guardianId, pupilId } of snapshot.links) push(this.guardiansOf, pupilId, guardianId);
    for (const record of snapshot.schoolRecords.values()) {
      if (typeof record.data.importKey === 'string') this.byImportKey.set(`${record.personKind}:${record.data.importKey}`, record.personId);
    }
  }

  /** Claims a directory person for one imported person; a second claim is refused (and said so). */
  private claim(kind: PersonKind, id: string | undefined, person: { label: string; file: string; where: string }): string | null {
    if (!id) return null;
    const holder = this.claimed.get(`${kind}:${id}`);
    if (holder !== undefined) {
      this.problems.add('warning', 'match-conflict', person, person.label, holder);
      return null;
    }
    this.claimed.set(`${kind}:${id}`, person.label);
    return id;
  }

  pupil(p: ImportedPupil): string {
    const uniqueIne = p.matchIne ? this.byIne.get(p.matchIne) : undefined;
    const bySource = [p.sourceIds.siecle && `siecle:${p.sourceIds.siecle}`, p.sourceIds.onde && `onde:${p.sourceIds.onde}`]
      .filter((k): k is string => !!k)
      .map((k) => this.pupilBySource.get(k))
      .find((id) => id !== undefined);
    const found =
      (uniqueIne?.length === 1 ? this.claim('pupil', uniqueIne[0], p) : null) ??
      this.claim('pupil', bySource, p) ??
      this.claim('pupil', this.byImportKey.get(`pupil:${p.key}`), p);
    if (found) return found;
    if (p.data.birthDate) {
      const names = [p.data.lastName, p.data.usageName].filter((n): n is string => !!n).map((n) => `${nameKey(n)}|${nameKey(p.data.firstName)}|${p.data.birthDate}`);
      const candidates = [...new Set(names.flatMap((k) => this.pupilsByName.get(k) ?? []))].filter((id) => !this.claimed.has(`pupil:${id}`));
      if (candidates.length === 1) {
        const id = this.claim('pupil', candidates[0], p);
        if (id) {
          this.problems.add('warning', 'matched-by-name', p, p.label);
          return id;
        }
      }
    }
    return localId(this.snapshot.uai, 'pupil', p.key);
  }

  guardian(g: ImportedGuardian, children: readonly string[]): string {
    const bySource = [g.sourceIds.siecle && `siecle:${g.sourceIds.siecle}`, g.sourceIds.onde && `onde:${g.sourceIds.onde}`]
      .filter((k): k is string => !!k)
      .map((k) => this.guardianBySource.get(k))
      .find((id) => id !== undefined);
    const found = this.claim('guardian', bySource, g) ?? this.claim('guardian', this.byImportKey.get(`guardian:${g.key}`), g);
    if (found) return found;
    const names = new Set([g.data.lastName, g.data.usageName].filter((n): n is string => !!n).map((n) => `${nameKey(n)}|${nameKey(g.data.firstName)}`));
    const named = (id: string) => {
      const data = this.guardianData.get(id);
      return !!data && [data.lastName, data.usageName].some((n) => !!n && names.has(`${nameKey(n)}|${nameKey(data.firstName)}`));
    };
    const candidates = [...new Set(children.flatMap((child) => this.guardiansOf.get(child) ?? []))].filter((id) => !this.claimed.has(`guardian:${id}`) && named(id));
    if (candidates.length === 1) {
      const id = this.claim('guardian', candidates[0], g);
      if (id) return id;
    }
    return localId(this.snapshot.uai, 'guardian', g.key);
  }
}

/** The person's source ids as stored (only those it has). */
function storedIds(person: ImportedPupil | ImportedGuardian): Record<string, string> {
  const ids: Record<string, string> = {};
  if (person.sourceIds.siecle) ids.siecle = person.sourceIds.siecle;
  if (person.sourceIds.onde) ids.onde = person.sourceIds.onde;
  if (person.sourceIds.local) ids.local = person.sourceIds.local;
  return ids;
}

/** The same stored value: primitives as they are, objects (address, ids, lists) by their JSON. */
function sameStored(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Works out the plan; see the module comment. */
export function planImport(base: SchoolBase, snapshot: Snapshot, sink: PersonSink, options: { writes?: boolean } = {}): Plan {
  // A preview needs the changes, not the records to write: not keeping them halves its memory.
  const keepWrites = options.writes !== false;
  const matcher = new Matcher(snapshot);
  const dirPupils = new Map(snapshot.pupils.map((p) => [p.id, p.data]));
  const dirGuardians = new Map(snapshot.guardians.map((g) => [g.id, g.data]));

  const pupilIds = new Map<string, string>();
  for (const pupil of base.pupils) pupilIds.set(pupil.key, matcher.pupil(pupil));
  // A link may name a pupil of an earlier import only (SIECLE's guardians' file on its own).
  const pupilOf = (key: string): string | undefined => {
    const known = pupilIds.get(key);
    if (known) return known;
    const eleveId = key.startsWith('siecle:') ? key.slice(7) : null;
    const fromDirectory = eleveId ? snapshot.pupils.find((p) => p.data.sourceIds?.siecle === eleveId)?.id : undefined;
    if (fromDirectory) return fromDirectory;
    return [...snapshot.schoolRecords.values()].find((r) => r.personKind === 'pupil' && r.data.importKey === key)?.personId;
  };
  const childrenOf = new Map<string, { personId: string; level: number; relationship: string | null }[]>();
  for (const link of base.links) {
    const personId = pupilOf(link.pupilKey);
    if (!personId) continue;
    childrenOf.set(link.guardianKey, [...(childrenOf.get(link.guardianKey) ?? []), { personId, level: link.level, relationship: link.relationship }]);
  }

  const seen = new Set<string>();
  const counts: ImportCounts = {
    pupils: base.pupils.length,
    pupilsLeft: base.pupils.filter((p) => p.left).length,
    guardians: base.guardians.length,
    links: base.links.length,
    new: 0,
    changed: 0,
    completed: 0,
    left: 0,
    unchanged: 0,
    differences: 0,
  };

  const plan = (kind: PersonKind, personId: string, person: ImportedPupil | ImportedGuardian, extras: Record<string, unknown>, left: boolean) => {
    const key = schoolKey(kind, personId);
    seen.add(key);
    const existing = snapshot.schoolRecords.get(key);
    const items = snapshot.latestItems.get(key);
    const carried = person.carried;
    const before: SchoolRecordData = existing?.data ?? {};
    // The record as it will be: what it held, with what the import brings (no intermediate copy: 15,000 persons).
    const after: SchoolRecordData = { ...before };
    let changedKeys = false;
    const set = (field: string, value: unknown) => {
      let kept = value;
      // An accepted change not yet keyed into SIECLE/ONDE: the school base still holds the old value; keep the new one.
      const latest = items?.get(field);
      if (
        latest?.state === 'accepted' &&
        (carried as readonly string[]).includes(field) &&
        !sameValue(field, value, before[field]) &&
        sameValue(field, value, latest.schoolValue) &&
        sameValue(field, before[field], latest.newValue)
      ) {
        kept = before[field];
      }
      if (!changedKeys && !sameStored(before[field], kept)) changedKeys = true;
      after[field] = kept;
    };
    const data = person.data as SchoolRecordData;
    for (const field in data) if (data[field] !== undefined) set(field, data[field]);
    for (const field in extras) set(field, extras[field]);
    set('sourceIds', storedIds(person));
    set('importKey', person.key);
    set('source', base.source);

    // A value replaced is a change; a field filled for the first time (the first import completes the records made
    // from the directory with INE, class, address…) only completes the record.
    let replaced = false;
    if (changedKeys && existing) {
      for (const field of SCHOOL_DISPLAY_FIELDS) {
        if (!sameStored(before[field], after[field]) && schoolValueText(before[field]) !== null && schoolValueText(before[field]) !== schoolValueText(after[field])) {
          replaced = true;
          break;
        }
      }
    }
    const status: ImportChangeStatus | 'completed' = !existing
      ? 'new'
      : left && before.left !== true
        ? 'left'
        : replaced
          ? 'changed'
          : changedKeys
            ? 'completed'
            : 'unchanged';
    const differences = directoryDifferences(kind, personId, after, carried, snapshot, items, dirPupils, dirGuardians);
    counts[status] += 1;
    counts.differences += differences.length;
    const listed = status === 'new' || status === 'left' || status === 'changed' || differences.length > 0;
    const write = keepWrites && (changedKeys || !existing);
    // Nothing to list nor to write (most persons of a re-import): nothing built.
    if (!listed && !write) return;
    const fields: ImportFieldChange[] = [];
    if (listed && changedKeys) {
      for (const field of SCHOOL_DISPLAY_FIELDS) {
        if (sameStored(before[field], after[field])) continue;
        const was = schoolValueText(before[field]);
        const now = schoolValueText(after[field]);
        if (was !== now) fields.push({ field, before: was, after: now });
      }
    }
    sink({
      personKind: kind,
      personId,
      label: labelOf(after as SchoolFields),
      status: status === 'completed' ? 'unchanged' : status,
      write: write ? after : null,
      fields,
      differences,
      ine: typeof after.ine === 'string' ? after.ine : null,
      division: typeof after.division === 'string' ? after.division : null,
    });
  };

  for (const pupil of base.pupils) {
    plan('pupil', pupilIds.get(pupil.key)!, pupil, { left: pupil.left }, pupil.left);
  }
  for (const guardian of base.guardians) {
    const children = (childrenOf.get(guardian.key) ?? []).sort((a, b) => a.personId.localeCompare(b.personId));
    const personId = matcher.guardian(guardian, children.map((c) => c.personId));
    if (seen.has(schoolKey('guardian', personId))) continue;
    plan('guardian', personId, guardian, { children, left: false }, false);
  }

  // Persons an earlier import of this software brought and this complete list lacks: gone from the school base.
  for (const record of snapshot.schoolRecords.values()) {
    const kind = record.personKind;
    if (seen.has(schoolKey(kind, record.personId)) || record.data.source !== base.source || record.data.left === true) continue;
    if (!(kind === 'pupil' ? base.complete.pupils : base.complete.guardians)) continue;
    const after: SchoolRecordData = { ...record.data, left: true, ...(kind === 'pupil' && !record.data.leftDate ? { leftDate: snapshot.today } : {}) };
    counts.left += 1;
    sink({
      personKind: kind,
      personId: record.personId,
      label: labelOf(after as SchoolFields),
      status: 'left',
      write: after,
      fields: kind === 'pupil' && !record.data.leftDate ? [{ field: 'leftDate', before: null, after: snapshot.today }] : [],
      differences: [],
      ine: typeof after.ine === 'string' ? after.ine : null,
      division: typeof after.division === 'string' ? after.division : null,
    });
  }
  return { counts, problems: matcher.problems.list };
}

const NO_DIFFERENCES: ImportDifference[] = [];

/** The identity fields where the school record and the directory disagree, less what the head has already seen. */
function directoryDifferences(
  kind: PersonKind,
  personId: string,
  school: SchoolRecordData,
  carried: readonly IdentityField[],
  snapshot: Snapshot,
  items: ReadonlyMap<string, LatestItem> | undefined,
  dirPupils: ReadonlyMap<string, PupilData>,
  dirGuardians: ReadonlyMap<string, GuardianData>,
): ImportDifference[] {
  const record = (kind === 'pupil' ? dirPupils.get(personId) : dirGuardians.get(personId)) as Record<string, unknown> | undefined;
  if (!record) return [];
  const account = snapshot.accounts.get(personId);
  let out: ImportDifference[] | null = null;
  for (const field of carried) {
    if (!DIRECTORY_FIELDS[kind].includes(field)) continue;
    const contact = (CONTACT_FIELDS as readonly string[]).includes(field);
    // Contacts: the EduConnect account's, as the review's contact check reads them; a missing one is no change.
    let directory = ((contact && account ? account[field as 'email' | 'mobile'] : record[field]) ?? null) as string | null;
    // A usage name equal to the family name is no usage name (SIECLE repeats the name in NOM_USAGE; readers drop it).
    if (field === 'usageName' && directory !== null && directory === record.lastName) directory = null;
    if (contact && directory === null) continue;
    const value = (school[field] ?? null) as string | null;
    if (sameValue(field, value, directory)) continue;
    const latest = items?.get(field);
    if (latest && sameValue(field, latest.schoolValue, value) && sameValue(field, latest.newValue, directory)) continue;
    if (latest?.origin === 'directory' && sameValue(field, latest.newValue, value) && sameValue(field, latest.previousValue, directory)) continue;
    (out ??= []).push({ field, school: value, directory });
  }
  return out ?? NO_DIFFERENCES;
}
