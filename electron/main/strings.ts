/** Every French string the Electron shell shows, kept together so they read as a whole. */
export const strings = {
  windowTitle: 'EduConnect Desk',
  menu: {
    file: 'Fichier',
    quit: 'Quitter',
    edit: 'Édition',
    undo: 'Annuler',
    redo: 'Rétablir',
    cut: 'Couper',
    copy: 'Copier',
    paste: 'Coller',
    selectAll: 'Tout sélectionner',
    view: 'Affichage',
    reload: 'Recharger',
    fullScreen: 'Plein écran',
    devTools: 'Outils de développement',
    help: 'Aide',
    about: 'À propos',
  },
  about: {
    title: 'À propos d’EduConnect Desk',
    detail: (version: string, dataDir: string, directory: string) =>
      `Version ${version}\nDossier de données : ${dataDir}\nAnnuaire : ${directory === 'demo' ? 'annuaire de démonstration' : directory}`,
  },
  startupError: {
    title: 'EduConnect Desk ne peut pas démarrer',
    coreFailed: (message: string) => `Impossible d’ouvrir la base de données locale.\n\n${message}`,
  },
  notifications: {
    title: 'EduConnect Desk',
    newIdentityChanges: (n: number) =>
      n === 1 ? '1 nouveau changement d’identité à examiner.' : `${n} nouveaux changements d’identité à examiner.`,
  },
  saveDialog: {
    title: 'Enregistrer sous…',
    button: 'Enregistrer',
    filters: { xlsx: 'Classeur Excel (.xlsx)', csv: 'CSV (point-virgule, UTF-8)' },
  },
  ipc: {
    forbiddenSender: 'Appel refusé : il ne provient pas de l’application.',
    badMethod: 'Appel invalide : le nom de la méthode doit être une chaîne de caractères.',
  },
} as const;
