/** Every French string the Electron shell shows, kept together so they read as a whole. */
export const strings = {
  windowTitle: 'EduConnect Desk',
  menu: {
    file: 'Fichier',
    openDataFolder: 'Ouvrir le dossier des données',
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
  dataFolder: {
    title: 'Dossier des données',
    failed: (dataDir: string, reason: string) => `Le dossier des données n’a pas pu être ouvert (${dataDir}) : ${reason}`,
  },
  openDialog: {
    title: 'Ouvrir un fichier',
    titleMany: 'Ouvrir des fichiers',
    button: 'Ouvrir',
  },
  saveDialog: {
    title: 'Enregistrer sous…',
    button: 'Enregistrer',
    filters: { xlsx: 'Classeur Excel (.xlsx)', csv: 'CSV (point-virgule, UTF-8)' },
  },
  tokenProtection: {
    title: 'Session non conservée',
    basic_text:
      'Aucun trousseau de clés sécurisé (GNOME Keyring, KWallet) n’est disponible sur ce poste : la session ne sera pas conservée après la fermeture d’EduConnect Desk. Vous devrez vous reconnecter à chaque démarrage.',
    unknown_backend:
      'Le trousseau de clés de ce poste n’a pas pu être identifié : la session ne sera pas conservée après la fermeture d’EduConnect Desk. Vous devrez vous reconnecter à chaque démarrage.',
    unavailable:
      'Le chiffrement du système n’est pas disponible sur ce poste : la session ne sera pas conservée après la fermeture d’EduConnect Desk. Vous devrez vous reconnecter à chaque démarrage.',
  },
  updates: {
    downloaded: (version: string) =>
      `La version ${version} d’EduConnect Desk a été téléchargée : elle sera installée à la prochaine fermeture de l’application.`,
  },
  ipc: {
    forbiddenSender: 'Appel refusé : il ne provient pas de l’application.',
    badMethod: 'Appel invalide : le nom de la méthode doit être une chaîne de caractères.',
  },
} as const;
