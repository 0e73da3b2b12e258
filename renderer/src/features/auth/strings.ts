import type { Role } from '../../../../shared/api/contract';
import type { DemoOperatorSpec } from '../../../../shared/directory/demo-operators';

/** French texts of the sign-in screen and of the session entry in the app bar. */
export const authStrings = {
  title: 'Connexion',
  intro: "Connectez-vous avec votre compte d'opérateur de l'annuaire national pour gérer les comptes EduConnect.",
  formTitle: "Connexion à l'annuaire",
  login: 'Identifiant',
  password: 'Mot de passe',
  submit: 'Se connecter',
  submitting: 'Connexion…',
  loginRequired: 'Saisissez votre identifiant.',
  passwordRequired: 'Saisissez votre mot de passe.',
  errorTitle: 'Connexion impossible',
  statusLoading: 'Vérification de la session…',
  statusErrorTitle: 'Impossible de vérifier la session',
  retry: 'Réessayer',
  statusLink: "État de l'application",
  signInLink: 'Se connecter',
  signOut: 'Se déconnecter',
  signingOut: 'Déconnexion…',
  signOutFailed: 'Déconnexion impossible',
  sessionLabel: 'Opérateur connecté',
  directory: (value: string) =>
    value === 'demo' ? 'Annuaire de démonstration intégré' : `Annuaire : ${value}`,
  roles: {
    chef: "Chef d'établissement",
    delegue: 'Délégué',
    secretariat: 'Secrétariat',
  } satisfies Record<Role, string>,
  demo: {
    title: 'Comptes de démonstration',
    intro:
      "L'annuaire de démonstration contient des données fictives. Choisissez un compte : l'identifiant et le mot " +
      'de passe seront saisis pour vous.',
    caption: 'Opérateurs de démonstration : identifiant, mot de passe, rôle et établissements',
    columns: { login: 'Identifiant', password: 'Mot de passe', role: 'Rôle', establishments: 'Établissements', action: 'Action' },
    use: 'Utiliser ce compte',
    useFor: (login: string) => `Utiliser ce compte : ${login}`,
    filled: (login: string) => `Formulaire rempli avec le compte ${login}. Validez avec « Se connecter ».`,
    establishments: {
      first: "Le premier établissement de l'académie de démonstration",
      all: "Tous les établissements de l'académie de démonstration",
    } satisfies Record<DemoOperatorSpec['uais'], string>,
  },
} as const;

/** French texts of the session lock screen. */
export const lockStrings = {
  title: 'Session verrouillée',
  inactivity: (minutes: number) =>
    `Sans activité depuis ${minutes} minute${minutes > 1 ? 's' : ''}, la session a été verrouillée. Votre page et vos saisies sont conservées.`,
  restart: 'EduConnect Desk a redémarré : saisissez votre mot de passe pour reprendre votre session.',
  expired: 'La session avec l’annuaire a expiré. Saisissez votre mot de passe pour la rouvrir : votre page et vos saisies sont conservées.',
  operator: (name: string) => `Opérateur : ${name}`,
  password: 'Mot de passe',
  passwordRequired: 'Saisissez votre mot de passe.',
  unlock: 'Déverrouiller',
  unlocking: 'Vérification…',
  signOut: 'Se déconnecter',
};
