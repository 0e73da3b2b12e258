import type { ReactElement } from 'react';
import BarChartOutlined from '@mui/icons-material/BarChartOutlined';
import MailOutlined from '@mui/icons-material/MailOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import PeopleOutlined from '@mui/icons-material/PeopleOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import { importStrings } from '../features/imports/strings';
import { accountsStrings } from '../features/accounts/strings';
import { lettersStrings } from '../features/letters/strings';
import { ReviewNavCount, ReviewNavIcon } from '../features/review/ReviewNavIcon';
import { reviewStrings } from '../features/review/strings';
import { settingsStrings } from '../features/settings/strings';
import { auditStrings } from '../features/audit/strings';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import { statsStrings } from '../features/stats/strings';
import { syncStrings } from '../features/sync/strings';
import { systemStrings } from '../features/system/strings';

export interface NavigationEntry {
  path: string;
  label: string;
  icon: ReactElement;
  /** Extra words for screen readers, read after the label (e.g. a pending count). */
  status?: ReactElement;
}

/** The left navigation, in reading order; labels are the pages' own titles. */
export const navigationEntries: NavigationEntry[] = [
  { path: '/comptes', label: accountsStrings.title, icon: <PeopleOutlined /> },
  { path: '/a-examiner', label: reviewStrings.title, icon: <ReviewNavIcon />, status: <ReviewNavCount /> },
  { path: '/courriers', label: lettersStrings.title, icon: <MailOutlined /> },
  { path: '/statistiques', label: statsStrings.title, icon: <BarChartOutlined /> },
  { path: '/synchronisation', label: syncStrings.title, icon: <SyncOutlined /> },
  { path: '/import', label: importStrings.title, icon: <UploadFileOutlined /> },
  { path: '/parametres', label: settingsStrings.title, icon: <SettingsOutlined /> },
  { path: '/journal', label: auditStrings.title, icon: <HistoryOutlined /> },
  { path: '/etat', label: systemStrings.title, icon: <MonitorHeartOutlined /> },
];
