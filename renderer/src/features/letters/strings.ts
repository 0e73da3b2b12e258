/** French texts of the Courriers area (credential letters). */
import type { LetterSkipCode } from '../../../../shared/api/methods/letters';

const n = (count: number) => count.toLocaleString('fr-FR');
const plural = (count: number, one: string, many: string) => `${n(count)} ${count > 1 ? many : one}`;

export const lettersStrings = {
  title: 'Courriers',
  intro:
    'Préparez les courriers d’identifiants EduConnect (identifiant et nouveau mot de passe provisoire) à remettre ou à ' +
    'envoyer aux élèves et aux représentants légaux : par liste prédéfinie, par classe ou depuis une sélection de la page Comptes.',
  noEstablishment: 'Choisissez un établissement pour préparer ses courriers.',
  presets: {
    title: 'Listes prédéfinies',
    help: 'Le nombre indique les comptes de la liste aujourd’hui ; l’aperçu précise ceux qui recevront un courrier.',
    prepare: 'Préparer',
    prepareFor: (label: string) => `Préparer les courriers : ${label}`,
    accounts: (count: number) => plural(count, 'compte', 'comptes'),
  },
  byClass: {
    title: 'Par classe',
    kind: 'Courriers pour',
    kinds: { pupil: 'les élèves', guardian: 'les responsables' },
    division: 'Classe',
    chooseDivision: 'Choisissez une classe',
    prepare: 'Préparer les courriers de la classe',
    dialogTitle: (kind: 'pupil' | 'guardian', division: string) => `Courriers ${kind === 'pupil' ? 'des élèves' : 'des responsables'} de ${division}`,
    none: 'Aucune classe connue : lancez une synchronisation.',
  },
  dialog: {
    loading: 'Préparation de l’aperçu…',
    summary: (eligible: number, selected: number) =>
      `${plural(eligible, 'courrier', 'courriers')} à préparer sur ${plural(selected, 'compte sélectionné', 'comptes sélectionnés')}.`,
    body:
      'À la confirmation, un nouveau mot de passe provisoire est demandé à l’annuaire pour chaque compte (connexion à ' +
      'l’annuaire nécessaire) : l’ancien cesse de fonctionner. Chaque mot de passe est imprimé une seule fois, dans le ' +
      'fichier PDF ; il n’est enregistré nulle part ailleurs. Réimprimer un courrier demandera un nouveau mot de passe.',
    validUntil: (date: string) => `Les courriers seront valables jusqu’au ${date} (3 mois).`,
    skippedTitle: (count: number) => `Sans courrier (${n(count)})`,
    flaggedTitle: (count: number) => `À vérifier (${n(count)})`,
    previewTitle: 'Aperçu des premiers courriers',
    previewHelp: 'Le mot de passe est masqué : il sera créé à la confirmation.',
    columns: { name: 'Compte', reason: 'Motif' },
    more: (count: number) => `… et ${n(count)} autres.`,
    split: 'Fichiers',
    splitSize: 'Des fichiers de 500 courriers au plus',
    splitClass: 'Un fichier par classe',
    outputDir: 'Dossier où écrire les fichiers PDF (chemin complet)',
    outputDirHelp: 'Le dossier doit exister ; les fichiers y sont créés sous un nom daté, sans rien remplacer.',
    cancel: 'Annuler',
    run: (count: number) => `Générer ${plural(count, 'courrier', 'courriers')}`,
    running: 'Préparation des courriers…',
    close: 'Fermer',
    nothing: 'Aucun compte de cette sélection ne peut recevoir de courrier.',
  },
  result: {
    title: 'Courriers prêts',
    done: (count: number, files: number) => `${plural(count, 'courrier préparé', 'courriers préparés')} dans ${plural(files, 'fichier', 'fichiers')}.`,
    cancelled: (count: number) =>
      `Préparation arrêtée : ${plural(count, 'compte a reçu', 'comptes ont reçu')} un nouveau mot de passe, imprimé dans les fichiers ci-dessous. ` +
      'Les autres comptes n’ont pas été modifiés.',
    none: 'Aucun courrier n’a été préparé.',
    filesTitle: 'Fichiers PDF',
    open: 'Ouvrir pour imprimer',
    openFile: (name: string) => `Ouvrir ${name} pour l’imprimer`,
    browserHelp: 'Les fichiers ont été écrits dans le dossier choisi : ouvrez-les depuis votre gestionnaire de fichiers pour les imprimer.',
    desktopHelp: 'Chaque fichier s’ouvre dans la visionneuse PDF du système, d’où vous l’imprimez.',
    loginAndFile: 'Identifiant — fichier',
    notifiedTitle: (count: number) => `Comptes ayant reçu un nouveau mot de passe (${n(count)})`,
    openFailed: (message: string) => `Impossible d’ouvrir le fichier : ${message}`,
  },
  skip: {
    notFound: 'Introuvable',
    noAccount: 'Sans compte',
    activated: 'Déjà activé',
    deactivated: 'Désactivé',
    deleted: 'Supprimé',
    pending: 'Action en attente',
    refused: 'Refusé',
    unreachable: 'Annuaire injoignable',
    cancelled: 'Non traité (arrêt)',
  } satisfies Record<LetterSkipCode, string>,
  log: {
    title: 'Journal des courriers',
    help: 'Chaque préparation : qui, quand, pour quels comptes, dans quels fichiers et jusqu’à quand. Jamais de mot de passe.',
    caption: 'Préparations de courriers, les plus récentes d’abord',
    columns: { at: 'Date', operator: 'Par', kind: 'Pour', letters: 'Courriers', validUntil: 'Valables jusqu’au', files: 'Fichiers', state: 'État' },
    kinds: { pupil: 'Élèves', guardian: 'Responsables' },
    states: { running: 'Interrompue', done: 'Terminée', cancelled: 'Arrêtée', failed: 'Échec' },
    empty: 'Aucun courrier préparé pour cet établissement.',
  },
  preview: {
    label: (name: string) => `Aperçu du courrier : ${name}`,
    noWindow: 'Sans adresse postale',
  },
  fromAccounts: {
    button: 'Courriers',
    title: (count: number) => `Courriers d’identifiants pour ${plural(count, 'compte', 'comptes')}`,
    one: 'Préparer un courrier',
    oneTitle: (name: string) => `Courrier d’identifiants pour ${name}`,
  },
} as const;
