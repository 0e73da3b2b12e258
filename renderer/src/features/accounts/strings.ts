/** French texts of the Comptes area. */
export const accountsStrings = {
  title: 'Comptes',
  intro:
    'Recherchez les comptes ÉduConnect des élèves et de leurs représentants légaux, suivez leur activation, ' +
    "réinitialisez un mot de passe ou préparez un courrier d'identifiants.",
  empty: {
    title: 'Aucun compte dans la base locale',
    body: 'Lancez une première synchronisation depuis la page Synchronisation : les comptes de votre établissement apparaîtront ici.',
    action: 'Aller à la synchronisation',
  },
} as const;
