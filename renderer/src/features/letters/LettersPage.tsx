import MailOutlined from '@mui/icons-material/MailOutlined';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { lettersStrings as s } from './strings';

export function LettersPage() {
  return (
    <Page title={s.title} intro={s.intro}>
      <EmptyState icon={<MailOutlined />} title={s.empty.title} body={s.empty.body} action={{ label: s.empty.action, to: '/comptes' }} />
    </Page>
  );
}
