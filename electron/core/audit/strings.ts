/** French texts of the audit trail's export. */
import type { AuditEntry } from '../../../shared/api/contract';

export const auditStrings = {
  sheetName: 'Journal',
  pathNotAbsolute: 'Indiquez le chemin complet du fichier (par exemple /home/secretariat/journal.xlsx).',
  folderMissing: (folder: string): string => `Le dossier ${folder} n’existe pas.`,
  writeFailed: (detail: string): string => `Impossible d’écrire le fichier : ${detail}`,
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
};
