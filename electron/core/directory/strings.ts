/** Every French sentence of the directory capability (sync, outbox, session), so they read as a whole. */

export const syncStrings = {
  progressLabel: (name: string, phase: string | null): string =>
    phase === 'snapshot'
      ? `Synchronisation initiale — ${name}`
      : phase === 'resync'
        ? `Resynchronisation complète — ${name}`
        : phase === 'check'
          ? `Vérification des totaux — ${name}`
          : `Synchronisation — ${name}`,
  mismatch: (uai: string, detail: string): string =>
    `Écart entre le miroir local et l’annuaire pour ${uai} (${detail}) : resynchronisation complète lancée.`,
  internalError: 'Erreur interne pendant la synchronisation : consultez le journal.',
  notSignedIn: 'Connectez-vous à l’annuaire pour synchroniser.',
  unknownEstablishment: (uai: string): string => `Établissement ${uai} inconnu ou non autorisé pour cet opérateur.`,
};

export const outboxStrings = {
  notFound: (id: number): string => `Modification en attente n° ${id} introuvable.`,
  notRetryable: 'Seule une modification en échec ou en conflit peut être renvoyée.',
  purged: 'Le contenu de cette modification a été effacé au changement d’année scolaire : elle ne peut plus être renvoyée. Refaites-la si besoin.',
  notDiscardable: 'Une modification en cours d’envoi ou déjà confirmée ne peut pas être abandonnée.',
  gaveUp: (attempts: number, last: string): string =>
    `Abandon après ${attempts} tentatives : ${last} Renvoyez-la quand l’annuaire répondra.`,
  conflict: 'La fiche a été modifiée entre-temps dans l’annuaire : comparez avec la version actuelle, puis renvoyez ou abandonnez.',
};

export const authStrings = {
  signedOut: 'Vous n’êtes pas connecté à l’annuaire.',
  directoryUnavailable: 'L’annuaire de démonstration n’a pas pu démarrer : consultez le journal.',
};

export const endpointStrings = {
  invalid: (value: string): string => `Annuaire invalide : « ${value} ». Indiquez « demo » ou une adresse https://…`,
  insecure: (value: string): string =>
    `Adresse d’annuaire refusée : « ${value} ». Sans chiffrement (http://), seul un annuaire sur ce poste est accepté ` +
    '(127.0.0.1, ::1 ou localhost) ; pour un annuaire distant, utilisez https://.',
};
