/** French texts of delegations, establishment settings and the end-of-year rollover. */
export const governanceStrings = {
  delegationNotFound: (id: number): string => `Délégation n° ${id} introuvable.`,
  delegationAlreadyEnded: 'Cette délégation est déjà terminée.',
  endsOnPast: 'La date de fin doit être aujourd’hui ou plus tard.',
  endsOnTooFar: 'Une délégation dure au plus un an : choisissez une date de fin plus proche.',
  notADelegate: (login: string, role: string): string =>
    `${login} a le rôle « ${role} » : seul un opérateur délégué reçoit une délégation.`,
  replaced: 'Remplacée par une nouvelle délégation.',
  rolloverEnded: 'Fin d’année scolaire (bascule).',
  demoDelegationNote: 'Délégation de démonstration (RUPN) : comptes des représentants légaux et courriers.',
  updatesNeedServer:
    'Indiquez l’adresse du serveur de mises à jour de l’académie avant d’activer les mises à jour automatiques.',
  settingsNotSynced: 'Les paramètres de cet établissement n’ont pas encore été reçus de l’annuaire : lancez une synchronisation.',
  planChanged: 'La liste a changé depuis l’aperçu : relancez l’aperçu avant la bascule.',
};
