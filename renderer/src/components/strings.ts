/** French texts of the shared components (the features pass their own labels for the rest). */
export const componentStrings = {
  exportFile: {
    browse: 'Parcourir…',
    browseTitle: 'Choisir le fichier dans la fenêtre « Enregistrer sous… »',
    suggested: 'Proposé dans votre dossier Documents avec la date du jour ; vous pouvez le modifier.',
  },
} as const;
