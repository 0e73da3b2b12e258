/** Every French sentence of sign-in, session lock and permission refusals, so they read as a whole. */
import type { Permission } from '../../../shared/api/contract';

const RIGHT_LABELS: Record<Permission, string> = {
  public: 'accès public',
  read: 'consultation',
  pupilAccounts: 'comptes élèves',
  guardianAccounts: 'comptes des représentants légaux',
  accountActions: 'comptes élèves ou comptes des représentants légaux',
  write: 'modification des données',
  letters: 'courriers',
  statistics: 'statistiques',
  exports: 'exports',
  identityDecisions: "décisions sur les changements d'identité",
  administration: "administration de l'établissement",
};

export const authStrings = {
  notSignedIn: 'Connectez-vous pour accéder à cette fonction.',
  locked: 'Session verrouillée : saisissez votre mot de passe pour continuer.',
  forbidden: (permission: Permission, uai?: string): string =>
    `Action non autorisée pour votre rôle : elle demande le droit « ${RIGHT_LABELS[permission]} »` +
    (uai ? ` sur l’établissement ${uai}.` : '.'),
  forbiddenUai: (uai: string): string => `L’établissement ${uai} ne fait pas partie de votre périmètre.`,
  badCredentials: 'Identifiant ou mot de passe incorrect.',
  badCredentialsOffline:
    'Annuaire injoignable et connexion hors ligne refusée : identifiant ou mot de passe incorrect, ou opérateur jamais connecté sur ce poste.',
  offlineExpired: (days: number): string =>
    `Connexion hors ligne refusée : aucune connexion en ligne sur ce poste depuis plus de ${days} jour${days > 1 ? 's' : ''}. Connectez-vous une fois avec l’annuaire joignable.`,
  lockedOut: (until: Date): string =>
    `Trop d’essais infructueux : cet identifiant est bloqué jusqu’à ${until.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' })}.`,
  notLocked: 'La session n’est pas verrouillée.',
  noSession: 'Aucune session à déverrouiller : connectez-vous.',
  rightLabel: (permission: Permission): string => RIGHT_LABELS[permission],
};
