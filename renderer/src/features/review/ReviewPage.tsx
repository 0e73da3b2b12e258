import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { reviewStrings as s } from './strings';

export function ReviewPage() {
  return (
    <Page title={s.title} intro={s.intro}>
      <EmptyState
        icon={<FactCheckOutlined />}
        title={s.empty.title}
        body={s.empty.body}
        action={{ label: s.empty.action, to: '/synchronisation' }}
      />
    </Page>
  );
}
