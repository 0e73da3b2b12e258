import Chip, { type ChipProps } from '@mui/material/Chip';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import { appStrings } from '../app/strings';

/**
 * Marks a local change the directory has not confirmed yet: an icon and words, never colour alone. Use it on any
 * record with an outbox item in state pending or in flight.
 */
export function PendingBadge({ size = 'small', sx }: Pick<ChipProps, 'size' | 'sx'>) {
  return (
    <Chip
      icon={<ScheduleOutlined />}
      label={appStrings.pendingSync}
      size={size}
      variant="outlined"
      color="warning"
      data-testid="pending-badge"
      sx={sx}
    />
  );
}
