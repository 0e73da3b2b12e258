import { Link as RouterLink } from 'react-router';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { Page } from '../components/Page';
import { appStrings } from './strings';

const s = appStrings.notFound;

export function NotFoundPage() {
  return (
    <Page title={s.title}>
      <Typography sx={{ mb: 3 }}>{s.body}</Typography>
      <Button component={RouterLink} to="/comptes" variant="contained">
        {s.back}
      </Button>
    </Page>
  );
}
