/** French texts of the Synchronisation area. */
export const syncStrings = {
  title: 'Synchronisation',
  intro:
    "Mettez à jour la copie locale de l'annuaire national et envoyez les modifications faites hors ligne. " +
    'La base locale reste consultable sans connexion.',
  empty: {
    title: 'Jamais synchronisé',
    body:
      "Le lancement d'une synchronisation arrive dans une prochaine version. En attendant, vérifiez que la base " +
      "locale est prête sur la page État de l'application.",
    action: "Voir l'état de l'application",
  },
} as const;
