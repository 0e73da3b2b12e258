/**
 * Who a batch of letters is for: each selected person's account, whether it may be notified (else why not), and the
 * addressee of the letter — a guardian's postal address; for a pupil their class and the legal guardians living at
 * the first known address of theirs (« aux bons soins de »). Read from the mirror, which the directory keeps current.
 */
import type { Database } from 'better-sqlite3';
import type { LetterSkipCode } from '../../../shared/api/methods/letters';
import type { AccountKind } from '../../../shared/domain/accounts';
import type { LetterAddress, LetterPerson, LetterRecipient } from '../../../shared/domain/letters';
import type { AccountData, GuardianData, PupilData } from '../../../shared/directory/wire';

export interface Recipient {
  id: string;
  kind: AccountKind;
  displayName: string;
  /** The class (a guardian's: their first child's), for the order of the letters and a per-class split. */
  division: string | null;
  accountId: string | null;
  login: string | null;
  /** Why no letter, or null when the account may be notified. */
  skip: LetterSkipCode | null;
  letter: LetterRecipient | null;
  /** A guardian without postal address: a letter without the window block. */
  noAddress: boolean;
}

const json = <T>(raw: string | undefined): T | null => (raw === undefined ? null : (JSON.parse(raw) as T));

const personOf = (d: { civility?: 'M.' | 'Mme' | null; firstName: string; lastName: string; usageName: string | null }): LetterPerson => ({
  civility: d.civility ?? null,
  firstName: d.firstName,
  lastName: d.usageName || d.lastName,
});

const addressOf = (d: GuardianData | null): LetterAddress | null => {
  const a = d?.address;
  if (!a || !a.line1?.trim() || !a.postalCode?.trim() || !a.city?.trim()) return null;
  return { line1: a.line1, line2: a.line2 ?? null, postalCode: a.postalCode, city: a.city, country: a.country ?? '' };
};

const sameAddress = (a: LetterAddress, b: LetterAddress) =>
  a.line1.trim().toLowerCase() === b.line1.trim().toLowerCase() && a.postalCode.trim() === b.postalCode.trim();

/** Why the directory's account state forbids a letter, or null. */
export function skipOf(account: AccountData | null): LetterSkipCode | null {
  if (!account) return 'noAccount';
  switch (account.state) {
    case 'active':
      return 'activated';
    // Locked after failed logins: activated if it ever was (then a new password is the holder's business), else a
    // notified account whose letter may be reissued.
    case 'bloque':
      return account.activatedAt ? 'activated' : null;
    case 'desactive':
      return 'deactivated';
    case 'supprime':
      return 'deleted';
    default:
      return null;
  }
}

/**
 * The recipients of `ids` (people of `kind` in `uai`), notifiable ones first in class then name order, then the
 * others in the same order; ids that are not people of this establishment come back as `notFound`.
 */
export function loadRecipients(db: Database, uai: string, kind: AccountKind, ids: readonly string[]): Recipient[] {
  const index = new Map(
    (
      db
        .prepare(
          `SELECT a.person_id, a.display_name, a.division, a.sort_name FROM json_each(?) j
           JOIN acc_index a ON a.uai = ? AND a.kind = ? AND a.person_id = j.value`,
        )
        .all(JSON.stringify(ids), uai, kind) as { person_id: string; display_name: string; division: string | null; sort_name: string }[]
    ).map((r) => [r.person_id, r]),
  );
  const personRow = db.prepare(`SELECT data FROM ${kind === 'pupil' ? 'dir_pupils' : 'dir_guardians'} WHERE id = ? AND uai = ? AND deleted = 0`).pluck();
  const accountRow = db
    .prepare('SELECT id, data FROM dir_accounts WHERE uai = ? AND person_kind = ? AND person_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1');
  const pendingOn = db.prepare("SELECT 1 FROM outbox WHERE target_type = 'account' AND target_id = ? AND state IN ('pending', 'in_flight') LIMIT 1");
  const legalGuardians = db.prepare(
    `SELECT g.data FROM dir_links l JOIN dir_guardians g ON g.id = l.guardian_id AND g.deleted = 0
     WHERE l.uai = ? AND l.pupil_id = ? AND l.level = 1 AND l.deleted = 0 ORDER BY l.rowid`,
  ).pluck();

  const out: (Recipient & { order: string })[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const listed = index.get(id);
    const data = json<PupilData | GuardianData>(personRow.get(id, uai) as string | undefined);
    if (!listed || !data) {
      out.push({ id, kind, displayName: id, division: null, accountId: null, login: null, skip: 'notFound', letter: null, noAddress: false, order: `\uffff${id}` });
      continue;
    }
    const accountRaw = accountRow.get(uai, kind, id) as { id: string; data: string } | undefined;
    const account = json<AccountData>(accountRaw?.data);
    let skip = skipOf(account);
    if (!skip && pendingOn.get(accountRaw!.id)) skip = 'pending';
    let letter: LetterRecipient;
    let noAddress = false;
    if (kind === 'guardian') {
      const g = data as GuardianData;
      const address = addressOf(g);
      noAddress = address === null;
      letter = { kind, person: personOf(g), address };
    } else {
      const p = data as PupilData;
      const guardians = (legalGuardians.all(uai, id) as string[]).map((raw) => JSON.parse(raw) as GuardianData);
      const withAddress = guardians.filter((g) => addressOf(g) !== null);
      const address = withAddress.length > 0 ? addressOf(withAddress[0]!) : null;
      const careOf = address ? withAddress.filter((g) => sameAddress(addressOf(g)!, address)).slice(0, 2) : guardians.slice(0, 2);
      letter = { kind, person: personOf({ ...p, civility: null }), division: p.division, careOf: careOf.map(personOf), address };
    }
    out.push({
      id,
      kind,
      displayName: listed.display_name,
      division: listed.division,
      accountId: accountRaw?.id ?? null,
      login: account?.login ?? null,
      skip,
      letter,
      noAddress: kind === 'guardian' && noAddress,
      order: `${skip ? '1' : '0'}\u0000${listed.division ?? '\uffff'}\u0000${listed.sort_name}\u0000${id}`,
    });
  }
  out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  return out.map(({ order: _order, ...r }) => r);
}
