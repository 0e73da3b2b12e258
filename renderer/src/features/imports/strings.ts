/** French texts of the Import page (the school base from SIECLE, ONDE or a CSV file). */
import type { CsvField, ImportChangeStatus, ImportFileKind, ImportSource } from '../../../../shared/api/methods/imports';
import { SCHOOL_FIELD_LABELS, type SchoolDisplayField } from '../../../../shared/domain/school-fields';
import { formatDateTime } from '../../app/format';

const n = (count: number) => count.toLocaleString('fr-FR');

export const importStrings = {
  title: 'Import',
  intro:
    'Importez la base de l’établissement : exportations SIECLE (fichiers XML ou archive .zip), extraction ONDE ou ' +
    'fichier CSV de votre logiciel. L’aperçu montre ce qui change avant que rien ne soit enregistré ; les écarts avec ' +
    'l’annuaire vont dans « À examiner », où vous décidez.',
  noEstablishment: 'Choisissez un établissement pour importer sa base.',
  forbidden: 'L’import de la base de l’établissement est réservé au chef d’établissement.',
  files: {
    title: 'Fichiers à importer',
    help:
      'SIECLE : ElevesSansAdresses (ou ElevesAvecAdresses), ResponsablesAvecAdresses, et si vous le souhaitez Nomenclature ' +
      'et Structures, ou l’archive .zip telle que SIECLE la donne. ONDE : les deux extractions CSVExtraction.csv (élèves ' +
      'et responsables). Les fichiers d’un même import viennent d’un seul logiciel.',
    choose: 'Choisir des fichiers…',
    dialogFilter: 'Exportations SIECLE, ONDE ou CSV',
    path: 'Chemin complet du fichier',
    pathHelp: 'Par exemple /home/secretariat/Documents/ElevesSansAdresses.xml',
    add: 'Ajouter',
    remove: (name: string) => `Retirer ${name}`,
    list: 'Fichiers choisis',
    none: 'Aucun fichier choisi.',
    drop: 'Ou déposez ici les fichiers depuis votre explorateur de fichiers.',
    dropNoPath:
      'Ce navigateur ne donne pas l’emplacement des fichiers déposés : saisissez leur chemin complet ou utilisez l’application de bureau.',
    already: 'Ce fichier est déjà dans la liste.',
    preview: 'Lire et comparer',
    reading: 'Lecture des fichiers',
  },
  mapping: {
    title: 'Correspondance des colonnes',
    intro: (name: string) =>
      `Indiquez quelle colonne de ${name} contient chaque information. La correspondance est enregistrée pour cet établissement et servira aux prochains imports.`,
    sample: 'Premières lignes du fichier',
    none: '(aucune colonne)',
    groups: { pupil: 'Élève', guardian1: 'Premier représentant légal', guardian2: 'Second représentant légal' } as Record<string, string>,
    required: 'Nom, prénom et date de naissance de l’élève sont obligatoires.',
    save: 'Enregistrer et lire',
    cancel: 'Annuler',
    fields: {
      id: 'Identifiant dans votre logiciel',
      ine: 'INE',
      lastName: 'Nom',
      usageName: 'Nom d’usage',
      firstName: 'Prénom',
      firstName2: 'Deuxième prénom',
      birthDate: 'Date de naissance',
      sex: 'Sexe',
      birthCity: 'Commune de naissance',
      mef: 'MEF',
      division: 'Classe',
      email: 'Courriel',
      leftDate: 'Date de sortie',
      civility: 'Civilité',
      mobile: 'Téléphone portable',
      phoneHome: 'Téléphone domicile',
      address: 'Adresse',
      postalCode: 'Code postal',
      city: 'Commune',
    } as Record<string, string>,
    fieldLabel: (field: CsvField) => {
      const [group, name] = field.split('.') as [string, string];
      return `${importStrings.mapping.groups[group] ?? group} — ${importStrings.mapping.fields[name] ?? name}`;
    },
  },
  preview: {
    title: 'Aperçu',
    intro: (source: ImportSource, files: number) =>
      `${importStrings.sources[source]} — ${n(files)} fichier${files > 1 ? 's' : ''} lu${files > 1 ? 's' : ''}. Rien n’est encore enregistré.`,
    alreadyApplied: (date: string) => `Ces mêmes fichiers ont déjà été importés le ${formatDateTime(date)} : les importer de nouveau ne change rien.`,
    counts: {
      caption: 'Ce que contient l’import',
      pupils: 'Élèves',
      pupilsLeft: 'dont sortis',
      guardians: 'Responsables',
      links: 'Liens responsable–élève',
      new: 'Personnes nouvelles',
      changed: 'Fiches modifiées',
      completed: 'Fiches complétées (informations nouvelles)',
      left: 'Personnes sorties',
      differences: 'Écarts avec l’annuaire (à examiner)',
      problems: 'Problèmes signalés',
    },
    apply: 'Appliquer l’import…',
    report: 'Enregistrer le rapport…',
    discard: 'Abandonner',
  },
  problems: {
    title: 'Problèmes signalés',
    caption: 'Problèmes trouvés dans les fichiers, avec leur emplacement',
    columns: ['Fichier', 'Emplacement', 'Gravité', 'Explication'],
    severities: { error: 'Non importé', warning: 'À vérifier' } as Record<string, string>,
    none: 'Aucun problème dans les fichiers.',
    more: (shown: number, total: number) => `${n(shown)} problèmes affichés sur ${n(total)} : le rapport les contient tous.`,
  },
  changes: {
    title: 'Changements',
    caption: 'Personnes ajoutées, modifiées ou sorties, champ par champ',
    filter: 'Afficher',
    statuses: { new: 'Nouvelles', changed: 'Modifiées', left: 'Sorties', unchanged: 'Inchangées avec écart' } as Record<ImportChangeStatus, string>,
    status: { new: 'Nouvelle', changed: 'Modifiée', left: 'Sortie', unchanged: 'Inchangée' } as Record<ImportChangeStatus, string>,
    columns: ['Personne', 'État', 'Fiche de l’établissement', 'Écarts avec l’annuaire'],
    kinds: { pupil: 'Élève', guardian: 'Responsable' } as Record<string, string>,
    field: (field: string) => SCHOOL_FIELD_LABELS[field as SchoolDisplayField] ?? field,
    empty: '(vide)',
    arrow: '→',
    schoolVsDirectory: (school: string, directory: string) => `établissement : ${school} · annuaire : ${directory}`,
    ine: (ine: string) => `INE ${ine}`,
    division: (division: string) => `classe ${division}`,
    none: 'Aucune personne dans cette catégorie.',
    page: (from: number, to: number, total: number) => `${n(from)}–${n(to)} sur ${n(total)}`,
    previous: 'Précédents',
    next: 'Suivants',
  },
  apply: {
    title: 'Appliquer cet import ?',
    body: (records: number, differences: number) =>
      `${n(records)} fiche${records > 1 ? 's' : ''} de l’établissement ser${records > 1 ? 'ont' : 'a'} mise${records > 1 ? 's' : ''} à jour, en une seule fois. ` +
      `${n(differences)} écart${differences > 1 ? 's' : ''} avec l’annuaire ira${differences > 1 ? 'ont' : ''} dans « À examiner ». Rien n’est envoyé à l’annuaire.`,
    confirm: 'Appliquer',
    cancel: 'Annuler',
    running: 'Application de l’import',
    done: (reviewItems: number) =>
      `Import appliqué. ${reviewItems === 0 ? 'Aucun nouvel écart avec l’annuaire.' : `${n(reviewItems)} écart${reviewItems > 1 ? 's' : ''} à examiner.`}`,
    toReview: 'Voir « À examiner »',
  },
  report: {
    title: 'Enregistrer le rapport d’import',
    body: 'Un classeur .xlsx : résumé, changements champ par champ, problèmes et écarts avec l’annuaire.',
    path: 'Chemin complet du fichier (.xlsx)',
    run: 'Enregistrer',
    running: 'Enregistrement du rapport',
    close: 'Fermer',
    done: (path: string) => `Rapport enregistré : ${path}`,
  },
  history: {
    title: 'Imports précédents',
    caption: 'Derniers imports de l’établissement',
    columns: ['Date', 'Fichiers', 'État', 'Par', 'Écarts à examiner'],
    states: { ready: 'Aperçu seulement', applied: 'Appliqué', discarded: 'Abandonné' } as Record<string, string>,
    none: 'Aucun import pour cet établissement.',
    date: formatDateTime,
  },
  sources: { siecle: 'SIECLE', onde: 'ONDE', csv: 'Fichier CSV' } as Record<ImportSource, string>,
  kinds: {
    'siecle-eleves': 'SIECLE — élèves',
    'siecle-responsables': 'SIECLE — responsables',
    'siecle-nomenclature': 'SIECLE — nomenclature',
    'siecle-structures': 'SIECLE — structures',
    'onde-eleves': 'ONDE — élèves',
    'onde-responsables': 'ONDE — responsables',
    csv: 'Fichier CSV',
  } as Record<ImportFileKind, string>,
  count: n,
} as const;
