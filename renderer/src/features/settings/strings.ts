import type { DelegableRight } from '../../../../shared/api/contract';
import type { ScolariteService } from '../../../../shared/directory/wire';

/** French texts of the Paramètres area: establishment settings, workstation, delegations, end-of-year rollover. */
export const settingsStrings = {
  title: 'Paramètres',
  intro:
    "Services Scolarité proposés aux familles, communication directe, en-tête des courriers, délégations et bascule de fin d'année de l'établissement ; réglages de ce poste.",
  noEstablishment: 'Choisissez un établissement.',
  readOnly: "Seul le chef d'établissement peut modifier ces paramètres.",
  saved: 'Paramètres enregistrés : ils seront transmis à l’annuaire à la prochaine synchronisation.',
  savedLocal: 'Réglages du poste enregistrés.',
  pending: 'Modification en attente d’envoi à l’annuaire',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  establishment: {
    title: 'Établissement',
    notSynced: 'Les paramètres de cet établissement n’ont pas encore été reçus de l’annuaire : lancez une synchronisation.',
    services: 'Services Scolarité proposés aux familles',
    directCommunication: 'Autoriser la communication directe du ministère avec les familles',
    directCommunicationHelp: (isPrivate: boolean) =>
      isPrivate
        ? 'Établissement privé : désactivée par défaut, elle demande l’accord du chef d’établissement.'
        : 'Messages envoyés aux familles par EduConnect sans passer par l’établissement.',
    letterHeader: 'En-tête des courriers',
    helpAddress: 'Adresse d’assistance aux familles',
    helpPhone: 'Téléphone d’assistance',
    helpHours: 'Horaires d’assistance',
  },
  local: {
    title: 'Ce poste de travail',
    syncInterval: 'Intervalle de synchronisation (minutes)',
    inactivity: 'Verrouillage après inactivité (minutes)',
    offlineSignIn: 'Connexion hors ligne autorisée (jours depuis la dernière connexion en ligne)',
    auditRetention: 'Conservation du journal (jours)',
    pupilRetention: 'Conservation des élèves partis (jours)',
    invalid: 'Valeur invalide : nombre entier attendu.',
  },
  updates: {
    title: 'Mises à jour de l’application',
    intro:
      'L’application de bureau peut se mettre à jour depuis le serveur de l’académie : la nouvelle version est téléchargée en arrière-plan et installée à la fermeture de l’application. Désactivé par défaut.',
    enabled: 'Installer automatiquement les mises à jour publiées par l’académie',
    server: 'Adresse du serveur de mises à jour',
    serverHelp: 'Adresse en https:// fournie par le service informatique de l’académie.',
    serverInvalid: 'Adresse invalide : une adresse en https:// est attendue, sans identifiant ni paramètres.',
    serverRequired: 'Indiquez l’adresse du serveur pour activer les mises à jour.',
    saved: 'Réglages des mises à jour enregistrés.',
  },
  delegations: {
    title: 'Délégations',
    intro: 'Droits accordés à des personnels délégués, jusqu’à une date de fin (par défaut le 31 août, fin de l’année scolaire).',
    caption: 'Délégations de l’établissement, actives puis historique',
    columns: { login: 'Délégué', rights: 'Droits', endsOn: 'Fin', status: 'État', grantedBy: 'Accordée par', action: 'Action' },
    none: 'Aucune délégation.',
    status: { active: 'Active', expired: 'Expirée', revoked: 'Révoquée' },
    revoke: 'Révoquer',
    revokeFor: (login: string) => `Révoquer la délégation de ${login}`,
    grantTitle: 'Accorder une délégation',
    login: 'Identifiant du délégué',
    loginHelp: (known: string) => (known ? `Délégués déjà connectés sur ce poste : ${known}` : 'Aucun délégué ne s’est encore connecté sur ce poste.'),
    rights: 'Droits délégués',
    endsOn: 'Date de fin',
    grant: 'Accorder',
    granted: (login: string) => `Délégation accordée à ${login}.`,
    revoked: (login: string) => `Délégation de ${login} révoquée.`,
  },
  rollover: {
    title: 'Bascule de fin d’année',
    intro:
      'Archive les statistiques de l’année, met fin aux délégations, supprime les élèves partis depuis plus longtemps que la durée de conservation, et l’historique de l’établissement plus ancien que la durée de conservation du journal : entrées du journal, contenu des modifications envoyées à l’annuaire, actions sur les comptes, décisions traitées. Les autres établissements de ce poste ne sont pas touchés. L’aperçu liste exactement ce qui sera supprimé.',
    preview: 'Afficher l’aperçu',
    run: 'Lancer la bascule',
    confirm: 'Confirmer la bascule : ces suppressions sont définitives.',
    summary: (pupils: number, audit: number, delegations: number) =>
      `${pupils} élève${pupils > 1 ? 's' : ''} parti${pupils > 1 ? 's' : ''}, ${audit} entrée${audit > 1 ? 's' : ''} du journal, ${delegations} délégation${delegations > 1 ? 's' : ''} à terminer.`,
    pupilsCaption: 'Élèves qui seront supprimés du miroir local',
    columns: { name: 'Élève', division: 'Classe', leftDate: 'Sorti le' },
    related: (accounts: number, links: number, changes: number) =>
      `Avec eux : ${accounts} compte(s), ${links} lien(s) avec des représentants, ${changes} changement(s) d’identité.`,
    historyTitle: (before: string, days: number) => `Historique antérieur au ${before} (conservation du journal : ${days} jours) :`,
    history: {
      establishmentAudit: (n: number) => `${n} entrée(s) du journal de l’établissement`,
      workstationAudit: (n: number) => `${n} entrée(s) du journal du poste sans établissement (connexions, réglages du poste)`,
      outboxPayloads: (n: number) => `${n} contenu(s) de modifications déjà envoyées à l’annuaire ou refusées`,
      accountActions: (n: number) => `${n} action(s) de l’historique des comptes`,
      reviewItems: (n: number) => `${n} décision(s) traitée(s) sur les changements d’identité`,
      backups: (n: number) => `${n} sauvegarde(s) de la base du poste prise(s) avant une mise à jour`,
    },
    done: (pupils: number, audit: number, delegations: number, history: number) =>
      `Bascule effectuée : ${pupils} élève(s), ${audit} entrée(s) du journal et ${history} élément(s) d’historique supprimés, ${delegations} délégation(s) terminée(s).`,
  },
  rights: {
    pupilAccounts: 'Comptes élèves',
    guardianAccounts: 'Comptes des représentants légaux',
    letters: 'Courriers',
    statistics: 'Statistiques',
    exports: 'Exports',
    identityDecisions: 'Décisions sur les changements d’identité',
  } satisfies Record<DelegableRight, string>,
  services: {
    certificat_scolarite: 'Certificat de scolarité',
    droit_image: 'Droit à l’image',
    autorisation_sortie: 'Autorisation de sortie',
    paiement: 'Paiement des factures',
    voeux_affectation: 'Vœux d’affectation',
    lsu: 'Livret scolaire unique (LSU)',
    lsl: 'Livret scolaire du lycée (LSL)',
    inscription: 'Inscription',
    orientation: 'Orientation',
    changement_coordonnees: 'Changement de coordonnées',
    bourses: 'Bourses',
  } satisfies Record<ScolariteService, string>,
} as const;
