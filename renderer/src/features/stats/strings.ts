/** French texts of the Statistiques area (account activation). */
export const statsStrings = {
  title: 'Statistiques',
  intro:
    "Suivez le taux d'activation des comptes par classe, par niveau et par profil (élève, représentant légal) " +
    'pour savoir à qui relancer la distribution des identifiants.',
  empty: {
    title: 'Pas encore de statistiques',
    body: "Les taux d'activation seront calculés à partir des comptes reçus lors de la première synchronisation.",
    action: 'Aller à la synchronisation',
  },
} as const;
