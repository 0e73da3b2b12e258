import type { OutboxItem, RecordCounts, SyncEstablishmentStatus, SyncHistoryItem } from '../../../../shared/api/contract';

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short' });
const integer = new Intl.NumberFormat('fr-FR');

const count = (n: number) => integer.format(n);
const plural = (n: number, one: string, many: string) => `${count(n)} ${n > 1 ? many : one}`;

/** French texts of the Synchronisation area (page, offline banner, live progress). */
export const syncStrings = {
  title: 'Synchronisation',
  intro:
    "Mettez à jour la copie locale de l'annuaire national et envoyez les modifications faites hors ligne. " +
    'La base locale reste consultable sans connexion.',
  loading: 'Chargement de l’état de la synchronisation',
  loadErrorTitle: "Impossible de lire l'état de la synchronisation",
  retry: 'Réessayer',
  noEstablishment: {
    title: 'Aucun établissement',
    body:
      "Votre compte d'opérateur ne donne accès à aucun établissement, ou la liste n'a pas encore été reçue. " +
      "Vérifiez la connexion à l'annuaire, puis reconnectez-vous.",
    action: "Voir l'état de l'application",
  },
  offlineBanner:
    "Hors ligne : vous travaillez sur la copie locale. Vos modifications seront envoyées à l'annuaire au retour de la connexion.",

  overviewTitle: (name: string) => `État — ${name}`,
  fields: {
    state: 'État',
    phase: 'Étape',
    lastSuccess: 'Dernière synchronisation réussie',
    lastError: 'Dernière erreur',
    schedule: 'Synchronisation automatique',
  },
  states: {
    idle: 'Inactif',
    running: 'En cours',
    error: 'Erreur',
    offline: 'Hors ligne',
  } satisfies Record<SyncEstablishmentStatus['state'], string>,
  phases: {
    snapshot: 'Copie complète initiale',
    changes: 'Réception des modifications',
    resync: 'Resynchronisation complète',
    check: 'Vérification des totaux',
  } satisfies Record<NonNullable<SyncEstablishmentStatus['phase']>, string>,
  noPhase: '—',
  neverSucceeded: 'Jamais : lancez « Synchroniser maintenant ».',
  noError: 'Aucune',
  schedule: (minutes: number, nextRunAt: string | null) =>
    `Toutes les ${plural(minutes, 'minute', 'minutes')}` +
    (nextRunAt ? `, prochaine à ${time.format(new Date(nextRunAt))}.` : ' (prochaine après la synchronisation en cours ou au retour de la connexion).'),

  runNow: 'Synchroniser maintenant',
  running: 'Synchronisation en cours…',
  progressLabel: 'Progression de la synchronisation',
  progress: (done: number, total: number | null, rate: number) =>
    `${total === null ? plural(done, 'enregistrement', 'enregistrements') : `${count(done)} / ${plural(total, 'enregistrement', 'enregistrements')}`}` +
    ` — ${count(rate)} enregistrements/s`,
  summary: {
    success: (applied: number, pages: number, mode: SyncHistoryItem['mode']): string =>
      `Synchronisation terminée : ${plural(applied, 'enregistrement appliqué', 'enregistrements appliqués')} en ` +
      `${plural(pages, 'page', 'pages')} (${syncStrings.modes[mode].toLowerCase()}).`,
    totalsMatch: "Les totaux de la copie locale correspondent à ceux de l'annuaire.",
    totalsMismatch: "Les totaux diffèrent de ceux de l'annuaire : une resynchronisation a été lancée.",
    repaired: "Un écart avec l'annuaire a été corrigé par une resynchronisation complète.",
    failed: (message: string) => `La synchronisation a échoué : ${message}`,
    interrupted: 'La synchronisation a été interrompue ; elle reprendra là où elle s’est arrêtée.',
    unreachable:
      "L'annuaire est injoignable : la synchronisation reprendra automatiquement au retour de la connexion.",
    outbox: (sent: number, failed: number, pending: number) =>
      `Modifications envoyées : ${count(sent)} ; refusées : ${count(failed)} ; encore en attente : ${count(pending)}.`,
  },

  countsTitle: "Copie locale et annuaire",
  countsCaption: "Nombre d'enregistrements par type dans la copie locale et dans l'annuaire",
  countsColumns: { type: 'Type', local: 'Copie locale', directory: 'Annuaire', gap: 'Écart' },
  countsCheckedAt: (iso: string | null) =>
    iso ? `Totaux de l'annuaire relevés le ${dateTime.format(new Date(iso))}.` : "Totaux de l'annuaire pas encore relevés.",
  gap: (difference: number) => `écart de ${count(Math.abs(difference))}`,
  noGap: 'identique',
  unknownGap: 'non vérifié',
  recordTypes: {
    pupil: 'Élèves',
    guardian: 'Représentants légaux',
    link: 'Liens représentant – élève',
    account: 'Comptes EduConnect',
    identityChange: "Changements d'identité",
    settings: "Paramètres de l'établissement",
  } satisfies Record<keyof RecordCounts, string>,

  historyTitle: 'Historique des synchronisations',
  historyCaption: 'Synchronisations de cet établissement, la plus récente en premier',
  historyColumns: { start: 'Début', end: 'Fin', mode: 'Mode', outcome: 'Résultat', records: 'Enregistrements', error: 'Erreur' },
  historyEmpty: 'Aucune synchronisation pour cet établissement. Lancez-en une avec « Synchroniser maintenant ».',
  modes: {
    delta: 'Incrémentale',
    snapshot: 'Copie complète',
    resync: 'Resynchronisation complète',
  } satisfies Record<SyncHistoryItem['mode'], string>,
  outcomes: {
    running: 'En cours',
    success: 'Réussie',
    error: 'Échec',
    interrupted: 'Interrompue',
  } satisfies Record<SyncHistoryItem['outcome'], string>,
  notEnded: '—',

  outboxTitle: "Modifications à envoyer à l'annuaire",
  outboxIntro:
    "Les modifications faites dans l'application partent vers l'annuaire dans l'ordre. Une modification refusée " +
    "ne bloque pas les suivantes : renvoyez-la ou abandonnez-la.",
  outboxCaption: "Modifications en attente, refusées ou en conflit pour cet établissement",
  outboxEmpty:
    "Aucune modification en attente : tout ce qui a été fait dans l'application a été confirmé par l'annuaire.",
  outboxColumns: { change: 'Modification', target: 'Fiche', state: 'État', created: 'Créée le', actions: 'Actions' },
  outboxStates: {
    failed: "Refusée par l'annuaire",
    conflict: 'Conflit avec l’annuaire',
  },
  attempts: (n: number) => plural(n, 'tentative', 'tentatives'),
  discard: 'Abandonner',
  retryFor: (label: string) => `Réessayer : ${label}`,
  discardFor: (label: string) => `Abandonner : ${label}`,
  discardDialog: {
    title: 'Abandonner cette modification ?',
    body: "Elle ne sera jamais envoyée à l'annuaire.",
    cancel: 'Annuler',
    confirm: 'Abandonner la modification',
  },
  actionFailed: (message: string) => `Action impossible : ${message}`,
  kinds: {
    'account.resetPassword': 'Nouveau mot de passe provisoire',
    'account.unlock': 'Déblocage du compte',
    'account.deactivate': 'Désactivation du compte',
    'account.reactivate': 'Réactivation du compte',
    'link.create': "Rattachement d'un enfant",
    'link.delete': "Détachement d'un enfant",
    'contact.update': 'Mise à jour du courriel ou du mobile',
    'identityChange.decide': "Décision sur un changement d'identité",
    'settings.update': "Paramètres de l'établissement",
  } as Record<string, string>,
  kind: (item: Pick<OutboxItem, 'kind'>): string => syncStrings.kinds[item.kind] ?? item.kind,
  targetTypes: {
    account: 'Compte',
    link: 'Lien',
    identityChange: "Changement d'identité",
    settings: 'Paramètres',
  } as Record<string, string>,
  target: (item: Pick<OutboxItem, 'targetType' | 'targetId'>): string =>
    `${syncStrings.targetTypes[item.targetType] ?? item.targetType} ${item.targetId}`,

  formatDateTime: (iso: string) => dateTime.format(new Date(iso)),
  formatCount: count,
} as const;
