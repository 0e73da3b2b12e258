/** French texts of the Courriers area (credential letters). */
export const lettersStrings = {
  title: 'Courriers',
  intro:
    "Préparez et imprimez les courriers d'identifiants (identifiant et mot de passe provisoire) à remettre aux " +
    'élèves et aux représentants légaux, par classe ou compte par compte.',
  empty: {
    title: 'Aucun courrier à préparer',
    body: "Choisissez d'abord des comptes depuis la page Comptes ; leurs courriers seront ensuite générés ici.",
    action: 'Aller aux comptes',
  },
} as const;
