import type { SystemStatus } from '../../../../shared/api/contract';

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'medium' });
const integer = new Intl.NumberFormat('fr-FR');

/** French texts of the État de l'application page. */
export const systemStrings = {
  title: "État de l'application",
  intro: 'Version, emplacement des données et contenu de la base locale, à communiquer au support en cas de problème.',
  loading: "Chargement de l'état de l'application",
  errorTitle: "Impossible de lire l'état de l'application",
  retry: 'Réessayer',
  refresh: 'Actualiser',
  refreshing: 'Actualisation…',
  detailsTitle: 'Application et base de données',
  fields: {
    appVersion: "Version de l'application",
    host: 'Hôte',
    dataDir: 'Dossier des données',
    databaseFile: 'Fichier de base de données',
    schemaVersion: 'Version du schéma (actuelle / dernière)',
    directory: 'Annuaire national',
    startedAt: 'Démarrée le',
    nodeVersion: 'Version de Node.js',
    sqliteVersion: 'Version de SQLite',
  },
  host: {
    electron: 'Application de bureau (Electron)',
    browser: 'Navigateur (hôte local)',
  } satisfies Record<SystemStatus['host'], string>,
  directory: (value: string) => (value === 'demo' ? 'Annuaire de démonstration intégré (demo)' : value),
  schemaUpToDate: 'à jour',
  schemaBehind: 'mise à jour en attente',
  tablesTitle: 'Contenu de la base locale',
  tablesCaption: 'Nombre de lignes par table de la base locale',
  tableColumn: 'Table',
  rowsColumn: 'Lignes',
  noTables: 'La base locale ne contient encore aucune table.',
  formatDateTime: (iso: string) => dateTime.format(new Date(iso)),
  formatCount: (n: number) => integer.format(n),
} as const;
