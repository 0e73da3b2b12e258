/** French texts of the audit trail: its export and the integrity report. */
import type { AuditEntry } from '../../../shared/api/contract';

export const auditStrings = {
  sheetName: 'Journal',
  columns: {
    id: 'N°',
    at: 'Date et heure',
    operator: 'Opérateur',
    role: 'Rôle',
    method: 'Action',
    transport: 'Accès',
    uai: 'UAI',
    targetType: 'Type de cible',
    targetId: 'Cible',
    before: 'Avant',
    after: 'Après',
    reason: 'Motif',
    outcome: 'Résultat',
    errorCode: 'Code d’erreur',
  } satisfies Record<keyof AuditEntry, string>,
  outcomes: { ok: 'Effectuée', refused: 'Refusée', error: 'En erreur' } satisfies Record<AuditEntry['outcome'], string>,
  /** What audit.verify reports, one sentence per problem found. */
  verify: {
    chain: (chain: string): string => (chain === '' ? 'Entrées du poste (sans établissement)' : `Établissement ${chain}`),
    badEntry: (chain: string, id: number): string =>
      `${chain} : l’entrée n° ${id} ne correspond plus à son empreinte ou à l’entrée précédente (entrée modifiée, insérée, ou entrée supprimée juste avant).`,
    noHead: (chain: string): string => `${chain} : des entrées existent sans tête de chaîne enregistrée (ajoutées hors de l’application).`,
    headAltered: (chain: string): string => `${chain} : la tête de chaîne a été modifiée hors de l’application (son sceau ne correspond plus).`,
    unknownCheckpoint: (chain: string, id: number | null): string =>
      id === null
        ? `${chain} : le point de reprise enregistré par la dernière bascule a disparu.`
        : `${chain} : le point de reprise n° ${id} n’a pas été créé par une bascule ; les entrées qu’il dit purgées ont été supprimées.`,
    newestMissing: (chain: string, expected: number, found: number): string =>
      `${chain} : la dernière entrée enregistrée est la n° ${expected}, mais la chaîne s’arrête à la n° ${found} ; les entrées les plus récentes ont été supprimées.`,
    countMismatch: (chain: string, expected: number, found: number): string =>
      `${chain} : ${expected} entrée(s) attendue(s), ${found} présente(s) ; des entrées ont été supprimées ou ajoutées.`,
    sequence: (sequence: number, highest: number): string =>
      `La numérotation du journal est allée jusqu’à ${sequence} alors que la dernière entrée enregistrée est la n° ${highest} : des entrées ont été supprimées en fin de journal.`,
    strayCheckpoint: (id: number): string => `Le point de reprise n° ${id} n’appartient à aucune chaîne : il n’a pas été créé par une bascule.`,
    alteredBefore: (id: number): string =>
      `Le journal était déjà altéré avant son passage en une chaîne par établissement (à partir de l’entrée n° ${id}).`,
  },
};
