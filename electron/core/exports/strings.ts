/** French messages of the export files, whichever export writes them (shown by the UI as they are). */
import type { ExportFileFormat } from '../../../shared/api/export-file';

export const exportFileStrings = {
  relative:
    'Indiquez le chemin complet du fichier, par exemple /home/secretariat/Documents/export.xlsx ou ' +
    'C:\\Users\\secretariat\\Documents\\export.xlsx.',
  controlCharacters: 'Le chemin du fichier contient un caractère invisible (tabulation, retour à la ligne…) : saisissez-le à nouveau.',
  extension: (format: ExportFileFormat) => `Le nom du fichier doit se terminer par .${format} pour ce format.`,
  folderMissing: (folder: string) => `Le dossier ${folder} n’existe pas : choisissez un dossier existant (l’application n’en crée pas).`,
  notAFolder: (folder: string) => `${folder} n’est pas un dossier : choisissez un dossier existant.`,
  isDirectory: (path: string) => `${path} est un dossier : ajoutez le nom du fichier à écrire.`,
  symlink: (path: string) =>
    `${path} est un lien symbolique : par sécurité, l’application n’écrit pas à travers un lien. Choisissez un autre nom.`,
  notAFile: (path: string) => `${path} n’est pas un fichier ordinaire : choisissez un autre nom.`,
  exists: (path: string) => `Le fichier ${path} existe déjà.`,
  notWritable: (folder: string) => `Impossible d’écrire dans le dossier ${folder} : vous n’y avez pas les droits.`,
  writeFailed: (detail: string) => `Impossible d’écrire le fichier : ${detail}`,
} as const;
