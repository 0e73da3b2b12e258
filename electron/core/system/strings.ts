/** French texts of the system capability: suggested export file names and the host-only refusals. */
import type { ExportName } from '../../../shared/api/methods/system';

export const systemStrings = {
  /** The start of each export's suggested file name (the UAI and the date follow). */
  exportBaseNames: {
    'accounts-pupil': 'comptes-eleves',
    'accounts-guardian': 'comptes-responsables',
    audit: 'journal-des-actions',
    handoff: 'changements-a-saisir',
  } satisfies Record<ExportName, string>,
  saveDialogUnavailable:
    'La fenêtre « Enregistrer sous… » n’existe que dans l’application de bureau : saisissez le chemin complet du fichier.',
  saveDialogFailed: 'La fenêtre « Enregistrer sous… » n’a pas pu s’ouvrir : saisissez le chemin complet du fichier.',
} as const;
