/** French texts of the À examiner area (identity changes between the school record and the directory record). */
import { IDENTITY_FIELD_LABELS } from '../../../../shared/domain/review';
import { formatDate, formatDateTime } from '../../app/format';

export const reviewStrings = {
  title: 'À examiner',
  intro:
    "Les changements d'identité signalés par l'annuaire national (nom, prénom, date de naissance, courriel, portable) " +
    "qui diffèrent de la fiche de l'établissement. Vous les acceptez ou les refusez un par un : rien n'est modifié " +
    'sans votre décision.',
  empty: {
    title: 'Aucun changement à examiner',
    body: "Les écarts entre la fiche de l'établissement et l'annuaire apparaîtront ici après une synchronisation.",
    action: 'Aller à la synchronisation',
  },
  noEstablishment: 'Choisissez un établissement pour voir ses changements.',
  filters: {
    label: 'Filtres',
    state: 'État',
    field: 'Champ',
    source: 'Origine',
    personKind: 'Personne',
    division: 'Classe',
    age: 'Ancienneté',
    all: 'Tous',
    ages: { 0: 'Toutes', 7: 'Plus de 7 jours', 30: 'Plus de 30 jours' } as Record<number, string>,
  },
  states: {
    pending: 'En attente',
    accepted: 'Accepté',
    rejected: 'Refusé',
    deferred: 'Reporté',
    superseded: 'Remplacé',
    conflict: 'En conflit',
  } as Record<string, string>,
  fields: IDENTITY_FIELD_LABELS,
  sources: { franceconnect: 'FranceConnect', self_service: 'Le représentant lui-même', academie: 'Académie' } as Record<string, string>,
  /** A difference an import of the school base found with the directory. */
  importOrigin: 'Import de la base de l’établissement',
  personKinds: { pupil: 'Élève', guardian: 'Représentant légal' } as Record<string, string>,
  kinds: {
    case: 'majuscules/minuscules',
    accents: 'accents',
    whitespace: 'espaces',
    hyphens: 'traits d’union',
    other: 'valeur différente',
  } as Record<string, string>,
  school: "Fiche de l'établissement",
  directory: 'Annuaire (nouvelle valeur)',
  empty_value: '(vide)',
  removed: 'retiré',
  added: 'ajouté',
  differences: 'Différences :',
  orphan: "Absent de l'annuaire",
  lowRisk: 'Faible risque',
  detectedAt: (date: string) => `Signalé le ${formatDate(date)}`,
  decidedBy: (who: string) => `Décidé par ${who}`,
  actions: {
    accept: 'Accepter',
    reject: 'Refuser…',
    defer: 'Reporter',
    undo: 'Annuler la décision',
  },
  keyboard: {
    title: 'Raccourcis clavier',
    body: 'J ou ↓ : changement suivant · K ou ↑ : précédent · A : accepter · R : refuser · D : reporter · U : annuler la décision.',
  },
  list: (total: number) => `${total} changement${total > 1 ? 's' : ''}`,
  itemLabel: (person: string, field: string) => `${person} — ${field}`,
  rejectDialog: {
    title: 'Refuser le changement',
    reason: 'Motif du refus (obligatoire)',
    confirm: 'Refuser',
    cancel: 'Annuler',
    required: 'Indiquez le motif du refus.',
  },
  bulk: {
    open: 'Accepter les changements à faible risque…',
    title: 'Accepter les changements à faible risque',
    intro: (n: number) =>
      n === 0
        ? 'Aucun changement à faible risque en attente.'
        : `${n} changement${n > 1 ? 's' : ''} ne diffère${n > 1 ? 'nt' : ''} que par les majuscules, les accents ou les espaces, ` +
          "ou porte sur des coordonnées confirmées par l'annuaire. Vérifiez la liste avant d'accepter.",
    confirm: (n: number) => `Accepter ces ${n} changements`,
    cancel: 'Fermer',
    done: (n: number, skipped: number) => `${n} changement${n > 1 ? 's' : ''} accepté${n > 1 ? 's' : ''}${skipped ? `, ${skipped} ignoré${skipped > 1 ? 's' : ''}` : ''}.`,
  },
  handoff: {
    title: 'À saisir dans SIECLE / ONDE',
    intro:
      'Les changements acceptés qui restent à reporter dans le logiciel de gestion (SIECLE, ONDE ou le logiciel de ' +
      "l'établissement). Exportez-les, saisissez-les, puis marquez-les comme saisis.",
    caption: 'Changements acceptés à saisir dans le logiciel de gestion',
    empty: {
      title: 'Rien à saisir',
      body: 'Les changements que vous acceptez apparaîtront ici tant qu’ils ne sont pas saisis dans le logiciel de gestion.',
    },
    total: (n: number) => `${n} changement${n > 1 ? 's' : ''} à saisir`,
    selected: (n: number) => (n === 0 ? 'Aucune ligne sélectionnée' : `${n} ligne${n > 1 ? 's' : ''} sélectionnée${n > 1 ? 's' : ''}`),
    more: (shown: number, total: number) => `${shown} lignes affichées sur ${total} : marquez-les comme saisies pour voir les suivantes, ou exportez la liste complète.`,
    selectAll: 'Sélectionner toutes les lignes affichées',
    selectRow: (person: string, field: string) => `Sélectionner ${person} — ${field}`,
    columns: {
      person: 'Personne',
      ids: 'Identifiants',
      field: 'Champ',
      oldValue: 'Ancienne valeur',
      newValue: 'Nouvelle valeur',
      decidedBy: 'Décidé par',
      decidedAt: 'Date',
    },
    ine: (ine: string) => `INE ${ine}`,
    directoryId: (id: string) => `Annuaire ${id}`,
    none: '—',
    date: formatDateTime,
    mark: 'Marquer comme saisi',
    markDialog: {
      title: 'Marquer comme saisi',
      body: (n: number) =>
        `${n} changement${n > 1 ? 's' : ''} sera${n > 1 ? 'ont' : ''} marqué${n > 1 ? 's' : ''} comme saisi${n > 1 ? 's' : ''} ` +
        'dans le logiciel de gestion. Il ne sera plus possible d’annuler ces décisions.',
      confirm: 'Marquer comme saisi',
      cancel: 'Annuler',
    },
    marked: (n: number) => `${n} changement${n > 1 ? 's' : ''} marqué${n > 1 ? 's' : ''} comme saisi${n > 1 ? 's' : ''}.`,
    export: {
      button: 'Exporter…',
      title: 'Exporter les changements à saisir',
      body: (n: number) =>
        `Les ${n} changement${n > 1 ? 's' : ''} accepté${n > 1 ? 's' : ''} à saisir : personne, identifiants, champ, ` +
        'ancienne et nouvelle valeur, auteur et date de la décision.',
      format: 'Format',
      xlsx: 'Classeur Excel (.xlsx)',
      csv: 'CSV (point-virgule, UTF-8)',
      path: 'Fichier à écrire (chemin complet)',
      pathHelp: 'Par exemple C:\\Users\\secretariat\\Documents\\a-saisir.xlsx ; l’extension doit correspondre au format.',
      run: 'Exporter',
      running: 'Export en cours…',
      close: 'Fermer',
      done: (n: number, path: string) => `${n} ligne${n > 1 ? 's' : ''} exportée${n > 1 ? 's' : ''} dans ${path}.`,
    },
  },
  more: 'Afficher plus',
  navBadge: (n: number) => `${n} en attente`,
  toKey: (n: number) => `${n} changement${n > 1 ? 's' : ''} accepté${n > 1 ? 's' : ''} à saisir dans le logiciel de gestion.`,
} as const;
