import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { settingsStrings as s } from './strings';

export function SettingsPage() {
  return (
    <Page title={s.title} intro={s.intro}>
      <EmptyState icon={<SettingsOutlined />} title={s.empty.title} body={s.empty.body} action={{ label: s.empty.action, to: '/etat' }} />
    </Page>
  );
}
