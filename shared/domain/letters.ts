/**
 * Credential letters: what a letter says, composed once from its data and rendered twice — to PDF by the core
 * (electron/core/letters/pdf.ts) and to HTML by the renderer's previews (renderer/src/features/letters/LetterPreview.tsx).
 * The French text of the letters lives here, with the editable blocks' defaults and limits (plain text, length and
 * line caps chosen so that the longest allowed letter still fits on one A4 page: test/unit/letters-pdf.test.ts).
 */
import type { AccountKind } from './accounts';

/** Where a new letter sends people; printed on every letter. */
export const EDUCONNECT_URL = 'https://educonnect.education.gouv.fr';

/** A temporary password is valid 3 months from its letter (DOMAIN.md). */
export const LETTER_VALIDITY_MONTHS = 3;

/** At most this many letters per PDF file: a file a printer spools comfortably, and a batch easy to hand out. */
export const LETTERS_PER_FILE = 500;

/** The blocks an establishment may rewrite (Paramètres › Courriers); everything else is fixed. */
export const LETTER_BLOCKS = ['guardianIntro', 'pupilIntro', 'alternative', 'signature'] as const;
export type LetterBlock = (typeof LETTER_BLOCKS)[number];
export type LetterBlocks = Record<LetterBlock, string>;

export const LETTER_BLOCK_LIMITS: Record<LetterBlock, { minLength: number; maxLength: number; maxLines: number }> = {
  guardianIntro: { minLength: 1, maxLength: 450, maxLines: 5 },
  pupilIntro: { minLength: 1, maxLength: 450, maxLines: 5 },
  // The CNIL asks that families be told of another way than the online service: this block is never empty.
  alternative: { minLength: 20, maxLength: 350, maxLines: 4 },
  signature: { minLength: 0, maxLength: 100, maxLines: 2 },
};

export const LETTER_BLOCK_LABELS: Record<LetterBlock, string> = {
  guardianIntro: 'Introduction (courrier aux responsables)',
  pupilIntro: 'Introduction (courrier aux élèves)',
  alternative: 'Démarches sans internet (obligatoire : autre moyen d’accès)',
  signature: 'Signature',
};

export const DEFAULT_LETTER_BLOCKS: LetterBlocks = {
  guardianIntro:
    'EduConnect est le compte unique qui vous permet de suivre la scolarité de vos enfants en ligne (Scolarité ' +
    'services, livret scolaire, espace numérique de travail…), avec un seul identifiant pour tous vos enfants. ' +
    'Voici vos identifiants personnels pour l’activer.',
  pupilIntro:
    'EduConnect est ton compte pour accéder aux services numériques de l’établissement (espace numérique de travail, ' +
    'livret scolaire…). Voici tes identifiants personnels pour l’activer.',
  alternative:
    'Si vous ne pouvez pas ou ne souhaitez pas utiliser les services en ligne, le secrétariat de l’établissement ' +
    'vous reçoit : toutes les démarches restent possibles sur papier ou sur rendez-vous.',
  signature: 'Le chef d’établissement',
};

/** Why a block is refused, in French, or null when it is acceptable (trimmed, CRLF as LF). */
export function letterBlockProblem(block: LetterBlock, raw: string): string | null {
  const text = normalizeBlock(raw);
  const { minLength, maxLength, maxLines } = LETTER_BLOCK_LIMITS[block];
  // Plain text: a line break is the only control character allowed (a tab or an escape would print as garbage).
  if (/[\p{Cc}\p{Cf}]/u.test(text.replace(/\n/g, ''))) return 'Texte brut uniquement : retirez les tabulations et caractères invisibles.';
  if (block === 'alternative' && text.length < minLength) return `Indiquez aux familles comment faire sans internet (${minLength} caractères au moins).`;
  if (text.length < minLength) return 'Ce texte ne peut pas être vide.';
  if (text.length > maxLength) return `${maxLength} caractères au plus (${text.length} saisis).`;
  if (text.split('\n').length > maxLines) return `${maxLines} lignes au plus.`;
  return null;
}

export const normalizeBlock = (raw: string): string =>
  raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();

/** A postal address as the directory holds a guardian's (GuardianData.address). */
export interface LetterAddress {
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  country: string;
}

export interface LetterPerson {
  civility?: 'M.' | 'Mme' | null;
  firstName: string;
  /** Usage name, else birth name. */
  lastName: string;
}

/** Who a letter is for and where it goes: for the window of a DL envelope when an address is known. */
export interface LetterRecipient {
  kind: AccountKind;
  person: LetterPerson;
  /** A pupil's class. */
  division?: string | null;
  /** A pupil's legal guardians living at `address` (« aux bons soins de »). */
  careOf?: LetterPerson[];
  address: LetterAddress | null;
}

export interface LetterEstablishment {
  uai: string;
  name: string;
  city: string | null;
  /** The establishment's letter header (Paramètres), several lines. */
  header: string;
  helpContact: { address: string; phone: string; hours: string } | null;
}

export interface LetterData {
  recipient: LetterRecipient;
  establishment: LetterEstablishment;
  login: string;
  /** The temporary password, or a mask in previews (no password exists before the directory makes one). */
  password: string;
  issuedAt: Date;
  validUntil: Date;
  blocks: LetterBlocks;
}

/** A letter as both renderers draw it: lines and paragraphs, in reading order. */
export interface LetterContent {
  kind: AccountKind;
  header: string[];
  placeDate: string;
  /** The addressee block (window of a DL envelope); `window` false: no postal address, nothing in the window. */
  addressee: { lines: string[]; window: boolean };
  /** For a letter without address: who to hand it to. */
  handDelivery: string | null;
  subject: string;
  salutation: string;
  intro: string[];
  credentials: { loginLabel: string; login: string; passwordLabel: string; password: string; hint: string };
  stepsTitle: string;
  steps: string[];
  validity: string;
  /** Guardians only: the « je ne suis pas le représentant légal » box. */
  notGuardian: { text: string; box: string } | null;
  alternativeTitle: string;
  alternative: string[];
  helpTitle: string;
  help: string[];
  signature: string[];
  confidential: string;
}

const paragraphs = (text: string): string[] =>
  normalizeBlock(text)
    .split('\n')
    .filter((line) => line.trim() !== '');

/** "1er décembre 2026", "15 mars 2027" (in Paris time: a letter is dated where it is printed). */
export function frenchDate(date: Date): string {
  const text = date.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
  return text.replace(/^1 /, '1er ');
}

const civilityWord = (c: LetterPerson['civility']): string | null => (c === 'Mme' ? 'Madame' : c === 'M.' ? 'Monsieur' : null);

/** "Madame Marie DUPONT"; "Marie DUPONT" without civility. */
export const fullName = (p: LetterPerson, long = true): string =>
  [long ? civilityWord(p.civility) : p.civility, p.firstName, p.lastName.toUpperCase()].filter(Boolean).join(' ');

function addressLines(a: LetterAddress): string[] {
  const country = a.country.trim();
  return [
    a.line1,
    ...(a.line2 ? [a.line2] : []),
    `${a.postalCode} ${a.city.toUpperCase()}`,
    ...(country && !/^france$/i.test(country) ? [country.toUpperCase()] : []),
  ].filter((line) => line.trim() !== '');
}

function addresseeOf(r: LetterRecipient): LetterContent['addressee'] {
  if (r.kind === 'guardian') {
    return { lines: r.address ? [fullName(r.person), ...addressLines(r.address)] : [], window: r.address !== null };
  }
  const lines = [fullName(r.person), ...(r.division ? [`Classe de ${r.division}`] : [])];
  const careOf = r.careOf ?? [];
  if (careOf.length > 0) {
    lines.push(`Aux bons soins de ${fullName(careOf[0]!, false)}`);
    if (careOf[1]) lines.push(`et de ${fullName(careOf[1], false)}`);
  }
  if (r.address) lines.push(...addressLines(r.address));
  return { lines, window: true };
}

export const LETTER_TEXT = {
  subject: { guardian: 'Objet : vos identifiants EduConnect', pupil: 'Objet : tes identifiants EduConnect' },
  loginLabel: 'Identifiant',
  passwordLabel: 'Mot de passe provisoire',
  hint: {
    guardian: 'Recopiez-les exactement, en respectant les majuscules et les minuscules.',
    pupil: 'Recopie-les exactement, en respectant les majuscules et les minuscules.',
  },
  stepsTitle: {
    guardian: (date: string) => `Première connexion, à faire avant le ${date} :`,
    pupil: (date: string) => `Première connexion, à faire avant le ${date} :`,
  },
  steps: {
    guardian: [
      `Rendez-vous sur ${EDUCONNECT_URL} (ou sur l’espace numérique de travail : « Se connecter avec EduConnect »).`,
      'Saisissez l’identifiant et le mot de passe provisoire ci-dessus.',
      'Choisissez votre nouveau mot de passe personnel : le mot de passe provisoire ne servira plus.',
      'Indiquez votre adresse électronique, puis confirmez-la grâce au lien que vous recevrez.',
      'Pour confirmer votre identité, saisissez la date de naissance de chacun de vos enfants.',
    ],
    pupil: [
      `Va sur ${EDUCONNECT_URL} (ou sur l’espace numérique de travail : « Se connecter avec EduConnect »).`,
      'Saisis l’identifiant et le mot de passe provisoire ci-dessus.',
      'Choisis ton nouveau mot de passe personnel et garde-le pour toi.',
      'Indique une adresse électronique (la tienne ou celle d’un parent) et confirme-la : elle servira si tu oublies ton mot de passe.',
    ],
  },
  validity: (date: string) =>
    `Ce mot de passe provisoire ne fonctionne que pour la première connexion et jusqu’au ${date}. ` +
    'Passé cette date, demandez un nouveau courrier à l’établissement.',
  notGuardian: {
    text:
      'Si vous n’êtes pas le représentant légal de l’élève concerné, ne vous connectez pas : cochez la case ci-dessous ' +
      'et rapportez ce courrier au secrétariat de l’établissement.',
    box: 'Je ne suis pas le représentant légal de cet élève.',
  },
  alternativeTitle: 'Sans internet',
  helpTitle: 'Besoin d’aide ?',
  handDelivery: (name: string) => `À remettre en main propre à ${name} (adresse postale inconnue de l’établissement).`,
  salutation: { Mme: 'Madame,', 'M.': 'Monsieur,', unknown: 'Madame, Monsieur,' },
  confidential: 'Document confidentiel : ne communiquez jamais ce mot de passe. À détruire après la première connexion.',
  placeDate: (city: string | null, date: string) => `${city ? `${city}, le` : 'Le'} ${date}`,
} as const;

/** Composes one letter; pure, so that the PDF and the previews say exactly the same. */
export function composeLetter(d: LetterData): LetterContent {
  const { kind } = d.recipient;
  const validUntil = frenchDate(d.validUntil);
  const help = d.establishment.helpContact;
  const addressee = addresseeOf(d.recipient);
  return {
    kind,
    header: paragraphs(d.establishment.header).length > 0 ? paragraphs(d.establishment.header) : [d.establishment.name],
    placeDate: LETTER_TEXT.placeDate(d.establishment.city, frenchDate(d.issuedAt)),
    addressee,
    handDelivery: addressee.window ? null : LETTER_TEXT.handDelivery(fullName(d.recipient.person)),
    subject: LETTER_TEXT.subject[kind],
    salutation:
      kind === 'pupil'
        ? `Bonjour ${d.recipient.person.firstName},`
        : LETTER_TEXT.salutation[d.recipient.person.civility ?? 'unknown'],
    intro: paragraphs(kind === 'pupil' ? d.blocks.pupilIntro : d.blocks.guardianIntro),
    credentials: {
      loginLabel: LETTER_TEXT.loginLabel,
      login: d.login,
      passwordLabel: LETTER_TEXT.passwordLabel,
      password: d.password,
      hint: LETTER_TEXT.hint[kind],
    },
    stepsTitle: LETTER_TEXT.stepsTitle[kind](validUntil),
    steps: [...LETTER_TEXT.steps[kind]],
    validity: LETTER_TEXT.validity(validUntil),
    notGuardian: kind === 'guardian' ? { ...LETTER_TEXT.notGuardian } : null,
    alternativeTitle: LETTER_TEXT.alternativeTitle,
    alternative: paragraphs(d.blocks.alternative),
    helpTitle: LETTER_TEXT.helpTitle,
    help: help ? [help.address, [help.phone, help.hours].filter((x) => x.trim() !== '').join(' — ')].filter((x) => x.trim() !== '') : [],
    signature: paragraphs(d.blocks.signature),
    confidential: LETTER_TEXT.confidential,
  };
}

/** The letter end as the directory would set it for a letter issued at `from` (previews; the directory's own wins). */
export function validityEnd(from: Date): Date {
  const end = new Date(from);
  end.setUTCMonth(end.getUTCMonth() + LETTER_VALIDITY_MONTHS);
  return end;
}

/** What previews print in place of the password, which the directory only makes once the batch is confirmed. */
export const PASSWORD_PLACEHOLDER = '••••••••••';
