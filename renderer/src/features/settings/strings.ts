/** French texts of the Paramètres area. */
export const settingsStrings = {
  title: 'Paramètres',
  intro:
    "Établissement (UAI) géré, annuaire national utilisé, comptes des opérateurs et préférences d'impression des courriers.",
  empty: {
    title: "Aucun paramètre à régler pour l'instant",
    body: "Le dossier des données et l'annuaire utilisés sont affichés sur la page État de l'application.",
    action: "Voir l'état de l'application",
  },
} as const;
