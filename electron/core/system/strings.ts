/** French texts of the system capability: suggested export file names, the host-only refusals, opening files. */
import type { ExportName } from '../../../shared/api/methods/system';

export const systemStrings = {
  /** The start of each export's suggested file name (the UAI and the date follow). */
  exportBaseNames: {
    'accounts-pupil': 'comptes-eleves',
    'accounts-guardian': 'comptes-responsables',
    audit: 'journal-des-actions',
    handoff: 'changements-a-saisir',
    statistics: 'statistiques-activation',
    'import-report': 'rapport-import',
  } satisfies Record<ExportName, string>,
  saveDialogUnavailable:
    'La fenêtre « Enregistrer sous… » n’existe que dans l’application de bureau : saisissez le chemin complet du fichier.',
  saveDialogFailed: 'La fenêtre « Enregistrer sous… » n’a pas pu s’ouvrir : saisissez le chemin complet du fichier.',
  openDialogUnavailable: 'La fenêtre « Ouvrir » n’existe que dans l’application de bureau : saisissez le chemin complet du fichier.',
  openDialogFailed: 'La fenêtre « Ouvrir » n’a pas pu s’afficher : saisissez le chemin complet du fichier.',
  openFile: {
    unavailable:
      'L’ouverture d’un fichier dans le visionneur du système n’existe que dans l’application de bureau : ouvrez-le depuis votre explorateur de fichiers.',
    notAbsolute: 'Chemin invalide : indiquez le chemin complet du fichier.',
    notFound: (path: string) => `Fichier introuvable : ${path}`,
    notAFile: 'Seul un fichier peut être ouvert, pas un dossier.',
    typeRefused: 'Seuls les fichiers PDF, Excel (.xlsx) et CSV peuvent être ouverts depuis EduConnect Desk.',
    notTheAppsFile:
      'Ce fichier n’a pas été créé par EduConnect Desk pendant cette session ni rangé dans son dossier de données : ouvrez-le depuis votre explorateur de fichiers.',
    failed: (reason: string) => `Le fichier n’a pas pu être ouvert : ${reason}`,
  },
} as const;
