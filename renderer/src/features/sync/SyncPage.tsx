import SyncOutlined from '@mui/icons-material/SyncOutlined';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { syncStrings as s } from './strings';

export function SyncPage() {
  return (
    <Page title={s.title} intro={s.intro}>
      <EmptyState icon={<SyncOutlined />} title={s.empty.title} body={s.empty.body} action={{ label: s.empty.action, to: '/etat' }} />
    </Page>
  );
}
