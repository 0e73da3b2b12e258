/**
 * Checks across a whole school base (after each file's own checks): every pupil still there has a legal guardian
 * (and not a crowd of them), and no mobile number is shared by the guardians of different families — auto-inscription
 * by SMS works for one person per number.
 */
import { normalizeFrenchMobile } from '../../../shared/domain/identifiers';
import type { Problems, SchoolBase } from './model';

export function checkBase(base: Pick<SchoolBase, 'pupils' | 'guardians' | 'links' | 'complete'>, problems: Problems): void {
  if (!base.complete.guardians) return;
  const legal = new Map<string, number>();
  for (const link of base.links) if (link.level === 1) legal.set(link.pupilKey, (legal.get(link.pupilKey) ?? 0) + 1);
  for (const pupil of base.pupils) {
    if (pupil.left) continue;
    const count = legal.get(pupil.key) ?? 0;
    if (count === 0) problems.add('warning', 'no-legal-guardian', pupil, pupil.label);
    else if (count > 2) problems.add('warning', 'many-legal-guardians', pupil, pupil.label, count);
  }

  // Mobiles held by more than one guardian (few): no list made for the others.
  type Guardian = (typeof base.guardians)[number];
  const first = new Map<string, Guardian>();
  const sharedBy = new Map<string, Guardian[]>();
  for (const guardian of base.guardians) {
    const mobile = guardian.data.mobile ? normalizeFrenchMobile(guardian.data.mobile)?.e164 : undefined;
    if (!mobile) continue;
    const holder = first.get(mobile);
    if (holder === undefined) first.set(mobile, guardian);
    else if (sharedBy.has(mobile)) sharedBy.get(mobile)!.push(guardian);
    else sharedBy.set(mobile, [holder, guardian]);
  }
  const shared = [...sharedBy.values()];
  if (shared.length === 0) return;

  // Families: guardians who share a child are one family (union-find over the links).
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  for (const link of base.links) parent.set(find(`g:${link.guardianKey}`), find(`p:${link.pupilKey}`));
  for (const holders of shared) {
    const families = new Set(holders.map((g) => find(`g:${g.key}`)));
    if (families.size < 2) continue;
    const first = holders[0]!;
    problems.add('warning', 'mobile-shared', { file: first.file, where: first.where }, first.data.mobile ?? '', holders.map((g) => g.label).join(', '));
  }
}
