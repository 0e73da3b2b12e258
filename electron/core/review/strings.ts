/** French messages of the review capability (errors the UI shows as they are, export headers). */
import { IDENTITY_FIELD_LABELS } from '../../../shared/domain/review';

export const reviewStrings = {
  bulkJob: (count: number) => `Acceptation groupée de ${count} changement${count > 1 ? 's' : ''} à faible risque`,
  bulkCancelled: 'Non traité : acceptation groupée arrêtée.',
  notFound: (id: number) => `Changement d'identité n° ${id} introuvable.`,
  superseded: (newer: number | null) =>
    newer === null
      ? 'Ce changement a été remplacé par un changement plus récent du même champ : décidez sur le plus récent.'
      : `Ce changement a été remplacé par un changement plus récent du même champ (n° ${newer}) : décidez sur celui-ci.`,
  alreadyDecided: 'Ce changement a déjà été décidé. Annulez d’abord la décision pour en prendre une autre.',
  conflict:
    "La fiche de l'établissement a changé depuis la détection de ce changement : la comparaison a été mise à jour, " +
    'vérifiez-la puis décidez à nouveau.',
  notUndoable: 'Seule une décision (acceptation, refus, report) peut être annulée.',
  alreadySynced: "Cette décision a déjà été transmise à l'annuaire : elle ne peut plus être annulée.",
  keyed: 'Ce changement a déjà été saisi dans le logiciel de gestion : la décision ne peut plus être annulée.',
  schoolChangedSinceAccept:
    "La fiche de l'établissement a été modifiée depuis l'acceptation : l'annulation ne peut pas la restaurer.",
  notPendingForBulk: "Ce changement n'est plus en attente.",
  notLowRisk: "Ce changement n'est pas à faible risque : examinez-le individuellement.",
  notAccepted: (id: number) => `Le changement n° ${id} n'est pas accepté : il ne peut pas être marqué « saisi ».`,
  exportSheet: 'À saisir',
  personKind: { pupil: 'Élève', guardian: 'Représentant légal' } as Record<string, string>,
  fields: IDENTITY_FIELD_LABELS,
  exportHeaders: [
    'Personne',
    'Type',
    'Identifiant annuaire',
    'INE',
    'Champ',
    'Ancienne valeur',
    'Nouvelle valeur',
    'Décidé par',
    'Date de décision',
  ],
} as const;
