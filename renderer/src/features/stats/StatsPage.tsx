import BarChartOutlined from '@mui/icons-material/BarChartOutlined';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { statsStrings as s } from './strings';

export function StatsPage() {
  return (
    <Page title={s.title} intro={s.intro}>
      <EmptyState
        icon={<BarChartOutlined />}
        title={s.empty.title}
        body={s.empty.body}
        action={{ label: s.empty.action, to: '/synchronisation' }}
      />
    </Page>
  );
}
