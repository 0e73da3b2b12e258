import { type ReactNode, useId } from 'react';
import { Link as RouterLink } from 'react-router';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';

interface EmptyStateProps {
  icon: ReactNode;
  title: string;
  body: ReactNode;
  action?: { label: string; to: string };
}

/** What an area shows before it has data: what will appear here and the next step to take. */
export function EmptyState({ icon, title, body, action }: EmptyStateProps) {
  const titleId = useId();
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby={titleId}
      sx={{ p: 4, display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: 1.5, maxWidth: '70ch' }}
    >
      <Typography component="span" sx={{ color: 'primary.main', display: 'flex', '& svg': { fontSize: 40 } }}>
        {icon}
      </Typography>
      <Typography variant="h2" id={titleId}>
        {title}
      </Typography>
      <Typography>{body}</Typography>
      {action && (
        <Button component={RouterLink} to={action.to} variant="contained" sx={{ mt: 1 }}>
          {action.label}
        </Button>
      )}
    </Paper>
  );
}
