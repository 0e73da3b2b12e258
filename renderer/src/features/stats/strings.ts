/** French texts of the Statistiques area (account activation). */
import { formatRate } from '../../../../shared/domain/stats';

const frenchDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const n = (value: number) => value.toLocaleString('fr-FR');
const points = (delta: number) => `${delta >= 0 ? '+' : '−'}${Math.abs(delta * 100).toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} points`;

export const statsStrings = {
  title: 'Statistiques',
  intro:
    "Suivez le taux d'activation des comptes par classe, par niveau et par profil (élève, représentant légal) " +
    'pour savoir à qui relancer la distribution des identifiants.',
  empty: {
    title: 'Pas encore de statistiques',
    body: "Aucun compte n'a encore été reçu de l'annuaire pour cet établissement : les taux d'activation seront calculés dès la première synchronisation.",
    bodySeveral: "Aucun compte n'a encore été reçu de l'annuaire pour vos établissements : les taux d'activation seront calculés dès la première synchronisation.",
    action: 'Aller à la synchronisation',
  },
  noEstablishment: 'Choisissez un établissement pour afficher ses statistiques.',
  loading: 'Calcul des taux…',
  scope: {
    label: 'Établissements pris en compte',
    one: (name: string) => name,
    all: (count: number) => `Tous mes établissements (${count})`,
  },
  asOf: (date: string | null, syncedAt: string | null, formatDateTime: (iso: string) => string) =>
    date
      ? `Données de l'annuaire au ${frenchDate(date)}${syncedAt ? ` (relevées le ${formatDateTime(syncedAt)})` : ''}.`
      : "Pas encore de relevé daté par l'annuaire : les lettres expirées sont comptées à la date du jour.",
  actions: {
    export: 'Exporter le classeur (.xlsx)',
    print: 'Imprimer',
    exportDisabled: 'Export indisponible : aucune donnée reçue de l’annuaire pour le moment.',
  },
  target: {
    label: (target: number) => `Objectif : ${formatRate(target)} de comptes activés`,
    edit: "Modifier l'objectif",
    dialogTitle: "Objectif d'activation",
    field: 'Objectif (%)',
    help: 'Entre 5 et 100 % : la ligne d’objectif des graphiques et du classeur, pour ce poste.',
    invalid: 'Indiquez un nombre entre 5 et 100.',
    save: 'Enregistrer',
    cancel: 'Annuler',
    saved: 'Objectif enregistré.',
  },
  figures: {
    title: 'Chiffres clés',
    pupils: 'Élèves activés',
    guardians: 'Représentants légaux activés',
    families: 'Familles avec au moins un représentant activé',
    outOf: (activated: number, total: number) => `${n(activated)} sur ${n(total)}`,
    gap: (rate: number | null, target: number) => (rate === null ? 'Aucun compte' : `${points(rate - target)} par rapport à l’objectif`),
    followUp: 'À suivre',
    pupilsNotified: 'Élèves notifiés, non activés',
    guardiansNotified: 'Représentants notifiés, non activés',
    expiredLetters: 'Lettres expirées (à refaire)',
  },
  evolution: {
    title: 'Évolution sur l’année',
    chartLabel: (from: string, to: string) => `Graphique de l’évolution des taux d’activation du ${frenchDate(from)} au ${frenchDate(to)}`,
    pupils: 'Élèves',
    guardians: 'Représentants légaux',
    families: 'Familles (au moins un représentant activé)',
    target: (target: number) => `Objectif ${formatRate(target)}`,
    from: 'Du',
    to: 'Au',
    rangeHelp: 'Comparez deux dates de l’année.',
    empty: "Pas encore d'évolution : elle se construit à chaque synchronisation, datée par l'annuaire.",
    comparison: (from: string, to: string) => `Du ${frenchDate(from)} au ${frenchDate(to)}`,
    comparisonPupils: (delta: number | null, accounts: number) =>
      `Élèves : ${delta === null ? '—' : points(delta)} (${accounts >= 0 ? '+' : '−'}${n(Math.abs(accounts))} comptes activés)`,
    comparisonGuardians: (delta: number | null, accounts: number) =>
      `Représentants légaux : ${delta === null ? '—' : points(delta)} (${accounts >= 0 ? '+' : '−'}${n(Math.abs(accounts))} comptes activés)`,
    sources: 'Avant la première synchronisation de ce poste, les points viennent de l’historique de l’annuaire (sans les familles).',
  },
  tables: {
    levels: 'Par niveau',
    classes: 'Par classe',
    mefs: 'Par MEF',
    establishments: 'Par établissement',
    departments: 'Par département',
    tabsLabel: 'Détail des taux',
    columns: {
      level: 'Niveau',
      division: 'Classe',
      mef: 'MEF',
      establishment: 'Établissement',
      department: 'Département',
      establishments: 'Établissements',
      pupils: 'Élèves',
      pupilsRate: 'Élèves activés',
      guardians: 'Représentants',
      guardiansRate: 'Représentants activés',
      familiesRate: 'Familles',
      notified: 'Notifiés non activés',
    },
    rate: (rate: string, activated: number, total: number) => `${rate} (${n(activated)}/${n(total)})`,
    /** « Taux d’activation par classe » from the tab's label « Par classe ». */
    caption: (label: string) => `Taux d’activation ${label.charAt(0).toLowerCase()}${label.slice(1)}`,
  },
  callList: {
    title: 'À relancer',
    intro:
      'Les élèves dont le compte n’est pas activé, et les familles dont aucun représentant légal n’a activé son compte : à appeler ou à qui remettre une nouvelle lettre.',
    tabs: { pupil: 'Élèves', family: 'Familles' },
    tabsLabel: 'Liste à relancer',
    withheld:
      'Communication directe avec les familles non autorisée par le chef d’établissement : la liste ne donne pas leurs courriels ni leurs portables. Relancez-les par l’établissement (lettre remise à l’élève, réunion, carnet de liaison).',
    count: (total: number) => (total === 0 ? 'Personne à relancer' : total === 1 ? '1 personne à relancer' : `${n(total)} personnes à relancer`),
    columns: {
      name: 'Nom',
      division: 'Classe',
      children: 'Enfant(s)',
      state: 'Compte',
      letter: 'Lettre',
      email: 'Courriel',
      mobile: 'Portable',
    },
    letterExpired: 'Expirée',
    letterValid: 'Valide',
    withheldCell: 'Non communiqué',
    none: 'Personne à relancer dans cette liste.',
    exportHint: 'La liste complète est dans la feuille « À relancer » du classeur.',
    rowsPerPage: 'Lignes par page',
    displayedRows: ({ from, to, count }: { from: number; to: number; count: number }) => `${from}–${to} sur ${count}`,
  },
  export: {
    title: 'Exporter le classeur des statistiques',
    intro:
      'Un classeur Excel : synthèse, par classe, par MEF, évolution (avec son graphique) et liste à relancer ; par établissement et par département pour plusieurs établissements.',
    path: 'Fichier à écrire (.xlsx)',
    start: 'Exporter',
    close: 'Fermer',
    running: 'Écriture du classeur…',
    done: (path: string) => `Classeur écrit : ${path}`,
    cancelled: 'Export arrêté : aucun fichier n’a été écrit.',
  },
  print: {
    heading: (scope: string) => `Statistiques d’activation EduConnect — ${scope}`,
  },
} as const;
