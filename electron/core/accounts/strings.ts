/** French messages of the accounts capability (errors, refusals in bulk reports, history labels). */
export const accountsCoreStrings = {
  notFound: (kind: 'pupil' | 'guardian') => (kind === 'pupil' ? 'Élève introuvable dans la base locale.' : 'Responsable introuvable dans la base locale.'),
  noAccount: 'Cette personne n’a pas de compte EduConnect.',
  notSignedIn: 'Connectez-vous à l’annuaire pour agir sur les comptes.',
  offlineReset:
    'Un nouveau mot de passe provisoire ne peut être généré que connecté à l’annuaire : réessayez une fois la connexion rétablie.',
  offlineBulkReset:
    'Annuaire injoignable : les nouveaux mots de passe provisoires ne peuvent être générés que connecté à l’annuaire. ' +
    'Aucun compte n’a été modifié ; réessayez une fois la connexion rétablie.',
  offlineRow: 'Annuaire devenu injoignable : compte non traité, réessayez une fois la connexion rétablie.',
  conflict: 'Le compte a été modifié dans l’annuaire entre-temps : rien n’a été écrasé. Voici ses données actuelles.',
  alreadyPending: 'Une action sur ce compte attend déjà la confirmation de l’annuaire.',
  notLocked: 'Ce compte n’est pas bloqué.',
  alreadyDeactivated: 'Ce compte est déjà désactivé ou supprimé.',
  notDeactivated: 'Seul un compte désactivé peut être réactivé.',
  deletedAccount: 'Ce compte a été supprimé de l’annuaire.',
  resetRefused: 'Ce compte est désactivé ou supprimé : réactivez-le avant de générer un mot de passe.',
  reasonRequired: 'Motif obligatoire pour désactiver ou réactiver un compte.',
  invalidEmail: 'Adresse de courriel invalide (exemple : prenom.nom@exemple.fr).',
  invalidMobile: 'Numéro de portable invalide : 06 ou 07 suivi de 8 chiffres, ou +33 6 / +33 7.',
  nothingToChange: 'Indiquez un courriel ou un numéro de portable à modifier.',
  linkNotFound: 'Lien de responsabilité introuvable.',
  linkExists: 'Ce responsable est déjà rattaché à cet élève.',
  lastLegalGuardian: 'Impossible de retirer le dernier représentant légal de l’élève.',
  guardianNotFound: 'Responsable introuvable dans cet établissement.',
  pupilNotFound: 'Élève introuvable dans cet établissement.',
  jobRunning: 'Une action groupée porte déjà cet identifiant.',
  jobs: {
    export: (format: string) => `Export de la liste des comptes (${format === 'csv' ? 'CSV' : 'Excel'})`,
    bulk: (action: 'unlock' | 'deactivate' | 'reactivate', count: number) =>
      `${{ unlock: 'Déblocage', deactivate: 'Désactivation', reactivate: 'Réactivation' }[action]} de ${count} compte${count > 1 ? 's' : ''}`,
    reset: (count: number) => `Nouveaux mots de passe provisoires pour ${count} compte${count > 1 ? 's' : ''}`,
  },
  directoryRefused: (message: string) => `L’annuaire a refusé : ${message}`,
  actionLabels: {
    'account.resetPassword': 'Nouveau mot de passe provisoire',
    'account.unlock': 'Déblocage du compte',
    'account.deactivate': 'Désactivation du compte',
    'account.reactivate': 'Réactivation du compte',
    'contact.update': 'Modification des coordonnées',
    'link.create': 'Rattachement d’un élève',
    'link.delete': 'Détachement d’un élève',
  } as Record<string, string>,
  outboxStates: {
    pending: 'en attente',
    in_flight: 'en cours d’envoi',
    done: 'confirmé',
    failed: 'refusé',
    conflict: 'conflit',
  } as Record<string, string>,
} as const;
