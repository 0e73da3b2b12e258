import type { ReactElement } from 'react';
import BarChartOutlined from '@mui/icons-material/BarChartOutlined';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import MailOutlined from '@mui/icons-material/MailOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import PeopleOutlined from '@mui/icons-material/PeopleOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import { accountsStrings } from '../features/accounts/strings';
import { lettersStrings } from '../features/letters/strings';
import { reviewStrings } from '../features/review/strings';
import { settingsStrings } from '../features/settings/strings';
import { statsStrings } from '../features/stats/strings';
import { syncStrings } from '../features/sync/strings';
import { systemStrings } from '../features/system/strings';

export interface NavigationEntry {
  path: string;
  label: string;
  icon: ReactElement;
}

/** The left navigation, in reading order; labels are the pages' own titles. */
export const navigationEntries: NavigationEntry[] = [
  { path: '/comptes', label: accountsStrings.title, icon: <PeopleOutlined /> },
  { path: '/a-examiner', label: reviewStrings.title, icon: <FactCheckOutlined /> },
  { path: '/courriers', label: lettersStrings.title, icon: <MailOutlined /> },
  { path: '/statistiques', label: statsStrings.title, icon: <BarChartOutlined /> },
  { path: '/synchronisation', label: syncStrings.title, icon: <SyncOutlined /> },
  { path: '/parametres', label: settingsStrings.title, icon: <SettingsOutlined /> },
  { path: '/etat', label: systemStrings.title, icon: <MonitorHeartOutlined /> },
];
