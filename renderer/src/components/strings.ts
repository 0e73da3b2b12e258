/** French texts of the shared components (the features pass their own labels for the rest). */
export const componentStrings = {
  exportFile: {
    browse: 'Parcourir…',
    browseTitle: 'Choisir le fichier dans la fenêtre « Enregistrer sous… »',
    suggested: 'Proposé dans votre dossier Documents avec la date du jour ; vous pouvez le modifier.',
    overwrite: {
      title: 'Le fichier existe déjà. Le remplacer ?',
      body: (path: string) => `${path} sera remplacé par ce nouvel export : son contenu actuel sera perdu.`,
      cancel: 'Annuler',
      confirm: 'Remplacer',
    },
    kept: 'Rien n’a été exporté : le fichier existant est conservé. Choisissez un autre nom pour exporter.',
  },
  job: {
    starting: 'Démarrage…',
    counts: (done: number, total: number | null) =>
      total === null ? `${done.toLocaleString('fr-FR')} traités` : `${done.toLocaleString('fr-FR')} / ${total.toLocaleString('fr-FR')}`,
    cancel: 'Arrêter',
    cancelling: 'Arrêt demandé : la tâche s’arrête après l’étape en cours…',
    cancelFailed: (message: string) => `Impossible d’arrêter la tâche : ${message}`,
  },
} as const;
