/** French messages of the credential letters (errors, skip reasons, job labels, file names). */
import type { LetterSkipCode } from '../../../shared/api/methods/letters';

export const lettersCoreStrings = {
  outputDir: {
    relative: 'Indiquez le chemin complet du dossier où écrire les courriers (par exemple /home/secretariat/Documents).',
    missing: (dir: string) => `Le dossier ${dir} n’existe pas : choisissez un dossier existant (l’application n’en crée pas).`,
    notAFolder: (dir: string) => `${dir} n’est pas un dossier : choisissez un dossier existant.`,
    notWritable: (dir: string) => `Impossible d’écrire dans le dossier ${dir} : vous n’y avez pas les droits. Aucun mot de passe n’a été demandé.`,
  },
  offline:
    'Annuaire injoignable : les courriers ne peuvent être préparés que connecté à l’annuaire, qui fournit les nouveaux ' +
    'mots de passe provisoires. Aucun compte n’a été modifié ; réessayez une fois la connexion rétablie.',
  nothingToIssue: 'Aucun compte de la sélection ne peut recevoir de courrier : voir les motifs.',
  jobRunning: 'Une tâche porte déjà cet identifiant : attendez sa fin ou choisissez-en un autre.',
  job: (n: number) => `Courriers d’identifiants : ${n.toLocaleString('fr-FR')} compte${n > 1 ? 's' : ''}`,
  skip: {
    notFound: 'Personne introuvable dans cet établissement.',
    noAccount: 'Pas de compte EduConnect.',
    activated: 'Compte déjà activé : son titulaire a choisi son mot de passe, aucun courrier n’est nécessaire.',
    deactivated: 'Compte désactivé : réactivez-le avant de le notifier.',
    deleted: 'Compte supprimé de l’annuaire.',
    pending: 'Une action sur ce compte attend déjà la confirmation de l’annuaire.',
    refused: 'Refusé par l’annuaire.',
    unreachable: 'Annuaire devenu injoignable : pas de nouveau mot de passe, pas de courrier.',
    cancelled: 'Non traité : préparation arrêtée avant ce compte (aucun nouveau mot de passe).',
  } satisfies Record<LetterSkipCode, string>,
  noAddress: 'Adresse postale inconnue : courrier imprimé sans bloc adresse, à remettre en main propre.',
  fileKind: { pupil: 'eleves', guardian: 'responsables' },
  documentTitle: (kind: 'pupil' | 'guardian', name: string) =>
    `Courriers d’identifiants EduConnect — ${kind === 'pupil' ? 'élèves' : 'responsables'} — ${name}`,
  presets: {
    guardiansNeverNotified: {
      label: 'Responsables jamais notifiés',
      description: 'Responsables dont le compte n’a jamais reçu de courrier (état « non notifié »).',
    },
    pupils6eNotActivated: {
      label: 'Élèves de 6e non activés',
      description: 'Élèves de 6e (MEF 6EME) dont le compte n’est pas activé : non notifiés ou notifiés sans activation.',
    },
    pupilsLetterExpired: {
      label: 'Élèves : courrier expiré sans activation',
      description: 'Courrier de plus de 3 mois, compte jamais activé : le mot de passe provisoire ne fonctionne plus.',
    },
    guardiansLetterExpired: {
      label: 'Responsables : courrier expiré sans activation',
      description: 'Courrier de plus de 3 mois, compte jamais activé : le mot de passe provisoire ne fonctionne plus.',
    },
  },
} as const;
