/** French texts of the À examiner area (identity changes between the school record and the directory record). */
export const reviewStrings = {
  title: 'À examiner',
  intro:
    "Les changements d'identité signalés par l'annuaire national (nom, prénom, date de naissance, lien avec un " +
    "représentant légal) qui diffèrent de la fiche de l'établissement. Vous les acceptez ou les refusez un par un : " +
    "rien n'est modifié sans votre décision.",
  empty: {
    title: 'Aucun changement à examiner',
    body: "Les écarts entre la fiche de l'établissement et l'annuaire apparaîtront ici après une synchronisation.",
    action: 'Aller à la synchronisation',
  },
} as const;
