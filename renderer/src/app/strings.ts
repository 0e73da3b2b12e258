/** French texts of the application shell (navigation, status bar, error pages). */
import { formatDateTime } from './format';

export const appStrings = {
  appName: 'EduConnect Desk',
  titleSuffix: ' — EduConnect Desk',
  skipToContent: 'Aller au contenu',
  loadingPage: 'Chargement de la page…',
  mainNavigation: 'Navigation principale',
  pendingSync: 'En attente de synchronisation',
  statusBar: {
    label: 'État de la connexion et de la synchronisation',
    establishment: 'Établissement',
    noEstablishment: 'Aucun établissement sélectionné',
    establishmentValue: (name: string, uai: string) => `${name} (UAI ${uai})`,
    lastSync: 'Dernière synchronisation',
    neverSynced: 'Jamais synchronisé',
    formatDateTime,
    checking: 'Vérification de la connexion…',
    online: 'En ligne',
    directoryOffline: 'Annuaire injoignable',
    directoryOfflineHint: 'travail sur la copie locale',
    offline: 'Hors ligne',
    offlineHint: 'pas de réseau : les données locales restent consultables',
    serviceDown: 'Service local injoignable',
    serviceDownHint: "relancez l'application si cela dure",
  },
  notFound: {
    title: 'Page introuvable',
    body: "L'adresse demandée ne correspond à aucune page de l'application.",
    back: 'Retour aux comptes',
  },
  errorBoundary: {
    title: 'Cette page a rencontré une erreur',
    intro: "Le reste de l'application fonctionne. Rechargez la page ; si l'erreur revient, signalez-la avec le message ci-dessous.",
    messageLabel: "Message d'erreur",
    reload: 'Recharger la page',
  },
  notice: {
    close: 'Fermer',
  },
} as const;
