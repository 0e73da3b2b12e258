import PeopleOutlined from '@mui/icons-material/PeopleOutlined';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { accountsStrings as s } from './strings';

export function AccountsPage() {
  return (
    <Page title={s.title} intro={s.intro}>
      <EmptyState
        icon={<PeopleOutlined />}
        title={s.empty.title}
        body={s.empty.body}
        action={{ label: s.empty.action, to: '/synchronisation' }}
      />
    </Page>
  );
}
