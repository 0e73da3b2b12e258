/** French texts of Paramètres › Courriers (the letters' editable text blocks). */
export const templateStrings = {
  title: 'Courriers d’identifiants',
  intro:
    'Textes propres à l’établissement, imprimés sur chaque courrier (texte brut, longueur limitée pour tenir sur une page). ' +
    'L’en-tête et l’assistance viennent des paramètres de l’établissement ci-dessus ; le reste du courrier est fixe.',
  counter: (length: number, max: number, lines: number) => `${length} / ${max} caractères, ${lines} lignes au plus`,
  save: 'Enregistrer les textes',
  saving: 'Enregistrement…',
  reset: 'Revenir aux textes par défaut',
  saved: 'Textes des courriers enregistrés : ils s’appliquent aux prochains courriers.',
  previewOf: 'Aperçu d’un courrier',
  kinds: { guardian: 'à un responsable', pupil: 'à un élève' },
  sampleName: 'exemple',
} as const;
