/** French sentences of the imports capability: refusals of a file, problems found in it, job labels, the report. */
import type { ImportProblemCode } from '../../../shared/api/methods/imports';

const mb = (bytes: number) => `${Math.round(bytes / 1_000_000)} Mo`;

const ACCEPTED = 'ElevesSansAdresses, ElevesAvecAdresses, ResponsablesAvecAdresses, Nomenclature, Structures';

export const importStrings = {
  job: {
    preview: (name: string) => `Lecture de ${name}`,
    reading: 'Lecture des fichiers (Ko lus)',
    comparing: 'Comparaison avec les fiches de l’établissement et l’annuaire',
    apply: (name: string) => `Application de l’import de ${name} (personnes)`,
  },
  refusal: {
    notFound: (path: string) => `Fichier introuvable : ${path}.`,
    notAbsolute: (path: string) => `Indiquez le chemin complet du fichier (par exemple /home/secretariat/Documents/ElevesSansAdresses.xml) : « ${path} » n’en est pas un.`,
    notAFile: (path: string) => `« ${path} » n’est pas un fichier.`,
    unreadable: (name: string, reason: string) => `Lecture impossible de ${name} : ${reason}.`,
    empty: (name: string) => `Le fichier ${name} est vide : exportez-le de nouveau.`,
    tooLarge: (name: string, max: number) => `Le fichier ${name} dépasse la taille admise (${mb(max)}).`,
    wrongType: (name: string) =>
      `${name} n’est ni une exportation SIECLE (XML ou archive .zip), ni une extraction ONDE, ni un fichier CSV.`,
    spreadsheet: (name: string) =>
      `${name} est un classeur (Excel ou OpenDocument) : enregistrez-le au format CSV (séparateur point-virgule) avant de l’importer.`,
    pdf: (name: string) => `${name} est un document PDF : il faut le fichier d’exportation lui-même (XML, .zip ou CSV).`,
    unknownXml: (name: string, root: string) =>
      `${name} est un fichier XML, mais pas une exportation SIECLE reconnue (élément racine « ${root} »). Exportations acceptées : ${ACCEPTED}.`,
    malformed: (name: string, line: number, column: number, detail: string) =>
      `${name} n’est pas un fichier XML valide (ligne ${line}, colonne ${column}) : ${detail} Exportez-le de nouveau depuis SIECLE.`,
    truncated: (name: string, line: number) =>
      `${name} est incomplet : il s’arrête avant sa fin (ligne ${line}). Le téléchargement ou la copie a sans doute été interrompu : exportez-le de nouveau depuis SIECLE.`,
    dtd: (name: string) =>
      `${name} contient une déclaration de type de document (<!DOCTYPE>), refusée par sécurité : les exportations SIECLE n’en ont pas.`,
    entity: (name: string, line: number) =>
      `${name} utilise une entité XML non définie (ligne ${line}), refusée par sécurité : les exportations SIECLE n’en ont pas.`,
    encodingUnsupported: (name: string, declared: string) =>
      `${name} déclare l’encodage « ${declared} », que l’application ne lit pas (ISO-8859-15, ISO-8859-1, Windows-1252 ou UTF-8).`,
    utf16: (name: string) => `${name} est encodé en UTF-16, ce que SIECLE ne produit pas : exportez-le de nouveau depuis SIECLE.`,
    utf8InLatin: (name: string, declared: string, sample: string) =>
      `${name} déclare l’encodage ${declared}, mais son contenu est en UTF-8 (par exemple « ${sample} ») : il a sans doute été ouvert puis ` +
      `réenregistré par un autre logiciel. L’importer donnerait des noms illisibles (« Ã© » au lieu de « é ») : utilisez le fichier tel que SIECLE l’a produit.`,
    bomInLatin: (name: string, declared: string) =>
      `${name} commence par la marque UTF-8 mais déclare l’encodage ${declared} : il a été réenregistré par un autre logiciel. Utilisez le fichier tel que SIECLE l’a produit.`,
    invalidUtf8: (name: string, declared: string) =>
      `${name} déclare l’encodage ${declared}, mais son contenu n’est pas en UTF-8 (sans doute en ISO-8859-15) : l’importer donnerait des noms illisibles. Utilisez le fichier tel que SIECLE l’a produit.`,
    windows1252InIso: (name: string, declared: string, byte: number) =>
      `${name} déclare l’encodage ${declared}, mais contient l’octet 0x${byte.toString(16).toUpperCase()}, qui n’y représente aucun caractère ` +
      `(c’est une apostrophe ou une ligature Windows-1252) : il a été modifié par un autre logiciel. Utilisez le fichier tel que SIECLE l’a produit.`,
    otherEstablishment: (name: string, found: string, expected: string) =>
      `${name} est l’exportation de l’établissement ${found}, pas de ${expected} : choisissez l’exportation de cet établissement, ou changez d’établissement.`,
    uaiInvalid: (name: string, found: string) =>
      `${name} porte l’UAI « ${found} », qui n’est pas valide (7 chiffres et une lettre de contrôle) : le fichier est sans doute endommagé.`,
    uaiMissing: (name: string) => `${name} n’indique pas d’établissement (PARAMETRES/UAJ) : le fichier est sans doute endommagé.`,
    zip: (name: string, reason: string) => `L’archive ${name} est illisible (${reason}) : téléchargez-la de nouveau depuis SIECLE.`,
    zipTooLarge: (name: string, max: number) =>
      `L’archive ${name} se décompresse en plus de ${mb(max)} : refusée (une exportation SIECLE est bien plus petite).`,
    zipNothing: (name: string) => `L’archive ${name} ne contient aucune exportation SIECLE (fichier XML).`,
    duplicateKind: (first: string, second: string, kind: string) =>
      `${first} et ${second} sont deux exportations ${kind} : n’en choisissez qu’une.`,
    mixedSources: (names: string) =>
      `Ces fichiers viennent de logiciels différents (${names}) : importez en une fois les fichiers d’un seul logiciel (SIECLE, ONDE ou un fichier CSV).`,
    mappingRequired: (name: string) =>
      `${name} n’est pas une extraction ONDE : indiquez d’abord à quoi correspond chacune de ses colonnes (correspondance des colonnes).`,
    mappingMismatch: (name: string, missing: string) =>
      `${name} n’a pas les colonnes de la correspondance enregistrée pour cet établissement (manquantes : ${missing}) : vérifiez la correspondance des colonnes.`,
    csvMalformed: (name: string, reason: string) => `${name} n’est pas un fichier CSV lisible : ${reason}.`,
    noData: 'Rien à importer : ajoutez l’exportation des élèves ou celle des responsables.',
    noFiles: 'Choisissez au moins un fichier.',
    tooManyFiles: 'Au plus 10 fichiers à la fois.',
    cancelled: 'Import arrêté : rien n’a été enregistré.',
  },
  preview: {
    notFound: (id: string) => `Aperçu d’import introuvable (${id}) : relancez l’aperçu.`,
    applied: 'Cet import a déjà été appliqué : relancez un aperçu pour importer de nouveau.',
    expired: 'Cet aperçu n’est plus disponible (trop ancien ou remplacé) : relancez l’aperçu.',
    superseded: 'Un import plus récent a été appliqué à cet établissement depuis cet aperçu : relancez l’aperçu.',
    filesChanged: 'Les fichiers ont changé (ou ont disparu) depuis l’aperçu : relancez l’aperçu avant d’appliquer.',
  },
  where: {
    line: (line: number) => `ligne ${line}`,
    pupil: (line: number, id: string) => `ligne ${line}, élève ${id}`,
    person: (line: number, id: string) => `ligne ${line}, personne ${id}`,
    link: (line: number) => `ligne ${line}, lien responsable–élève`,
    address: (line: number, id: string) => `ligne ${line}, adresse ${id}`,
    row: (row: number) => `ligne ${row}`,
    file: 'fichier entier',
    entry: (name: string) => `fichier ${name} de l’archive`,
  },
  /** The French explanation of each problem; `who` names the person ("DUPONT Léa"), `value` the faulty value. */
  problems: {
    'ine-invalid': (who: string, value: string) =>
      `INE « ${value} » de ${who} au format invalide (11 caractères : 9 chiffres et 2 lettres, 10 chiffres et une lettre…) : l’élève n’est pas rapproché par son INE.`,
    'ine-missing': (who: string) => `${who} n’a pas d’INE : rapproché par ses autres identifiants seulement.`,
    'ine-duplicate': (who: string, value: string) =>
      `INE « ${value} » porté par plusieurs élèves (dont ${who}) : aucun d’eux n’est rapproché par cet INE.`,
    'id-duplicate': (who: string, value: string) => `Identifiant « ${value} » en double (${who}) : seule la première fiche est importée.`,
    'id-missing': (who: string) => `Fiche sans identifiant (${who}) : non importée.`,
    'date-invalid': (who: string, value: string) => `Date « ${value} » de ${who} invalide (jj/mm/aaaa attendu) : laissée vide.`,
    'sex-invalid': (who: string, value: string) => `Sexe « ${value} » de ${who} inconnu (1 ou M : masculin, 2 ou F : féminin) : laissé vide.`,
    'name-missing': (who: string) => `Fiche sans nom ou sans prénom (${who}) : non importée.`,
    'mobile-invalid': (who: string, value: string) =>
      `Portable « ${value} » de ${who} invalide (06 ou 07 suivi de 8 chiffres) : l’inscription par SMS ne fonctionnera pas.`,
    'email-invalid': (who: string, value: string) => `Courriel « ${value} » de ${who} invalide.`,
    'no-legal-guardian': (who: string) =>
      `${who} n’a aucun représentant légal dans l’import : aucun parent ne pourra rattacher cet enfant à son compte.`,
    'many-legal-guardians': (who: string, count: number) => `${who} a ${count} représentants légaux : vérifiez la fiche.`,
    'mobile-shared': (value: string, who: string) =>
      `Le portable « ${value} » est celui de responsables de familles différentes (${who}) : l’inscription par SMS ne peut servir qu’à l’un d’eux.`,
    'unknown-pupil': (value: string) => `Lien vers un élève inconnu (ELEVE_ID ${value}) : ignoré.`,
    'unknown-person': (value: string) => `Lien vers une personne inconnue (PERSONNE_ID ${value}) : ignoré.`,
    'unknown-address': (who: string, value: string) => `Adresse ${value} de ${who} absente du fichier : laissée vide.`,
    'level-invalid': (value: string) => `Niveau de responsabilité « ${value} » inconnu (1, 2 ou 3) : lien ignoré.`,
    'mef-unknown': (who: string, value: string) => `MEF « ${value} » de ${who} absent de la nomenclature : libellé inconnu.`,
    'child-not-found': (who: string, child: string) =>
      `Enfant « ${child} » de ${who} introuvable parmi les élèves : lien ignoré (vérifiez l’orthographe dans ONDE).`,
    'child-ambiguous': (who: string, child: string) =>
      `Plusieurs élèves s’appellent « ${child} » (enfant de ${who}) : lien ignoré, à faire à la main.`,
    'matched-by-name': (who: string) =>
      `${who} rapproché de l’annuaire par son nom et sa date de naissance (aucun identifiant commun) : vérifiez qu’il s’agit bien de la même personne.`,
    'match-conflict': (who: string, other: string) =>
      `${who} et ${other} correspondent à la même personne de l’annuaire : seul le premier y est rapproché.`,
    'entry-ignored': (name: string) => `Fichier ${name} de l’archive ignoré (ce n’est pas une exportation SIECLE).`,
    'row-malformed': (count: number, expected: number) => `Ligne de ${count} colonnes au lieu de ${expected} : ignorée.`,
  } satisfies Record<ImportProblemCode, (...args: never[]) => string>,
  report: {
    sheets: { summary: 'Résumé', changes: 'Changements', problems: 'Problèmes', review: 'À examiner' },
    summaryHeaders: ['Rubrique', 'Valeur'],
    changeHeaders: ['Personne', 'Type', 'Identifiant', 'État', 'Champ', 'Avant', 'Après'],
    problemHeaders: ['Fichier', 'Emplacement', 'Gravité', 'Code', 'Explication'],
    reviewHeaders: ['Personne', 'Type', 'Champ', 'Fiche de l’établissement', 'Annuaire'],
    establishment: 'Établissement',
    source: 'Logiciel',
    files: 'Fichiers',
    previewedAt: 'Aperçu du',
    previewedBy: 'Aperçu par',
    state: 'État',
    appliedAt: 'Appliqué le',
    appliedBy: 'Appliqué par',
    notApplied: 'Non appliqué (aperçu seulement)',
    applied: 'Appliqué',
    counts: {
      pupils: 'Élèves dans les fichiers',
      pupilsLeft: 'dont élèves sortis',
      guardians: 'Responsables dans les fichiers',
      links: 'Liens responsable–élève',
      new: 'Personnes nouvelles',
      changed: 'Personnes modifiées',
      completed: 'Fiches complétées (informations nouvelles seulement)',
      left: 'Personnes sorties',
      unchanged: 'Personnes inchangées',
      differences: 'Écarts avec l’annuaire (à examiner)',
      problems: 'Problèmes signalés',
    },
    kinds: { pupil: 'Élève', guardian: 'Responsable' },
    statuses: { new: 'Nouveau', changed: 'Modifié', left: 'Sorti' },
    severities: { error: 'Non importé', warning: 'À vérifier' },
    sources: { siecle: 'SIECLE', onde: 'ONDE', csv: 'Fichier CSV' },
  },
} as const;
