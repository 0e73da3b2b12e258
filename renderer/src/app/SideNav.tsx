import { NavLink } from 'react-router';
import Drawer from '@mui/material/Drawer';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import { navigationEntries } from './navigation';
import { appStrings } from './strings';

export const sideNavWidth = 248;

/** Permanent navigation: plain links (NavLink sets aria-current="page" on the active one). */
export function SideNav() {
  return (
    <Drawer
      variant="permanent"
      sx={{
        width: sideNavWidth,
        flexShrink: 0,
        '& .MuiDrawer-paper': { width: sideNavWidth, position: 'relative', boxSizing: 'border-box' },
      }}
    >
      <nav aria-label={appStrings.mainNavigation}>
        <List>
          {navigationEntries.map((entry) => (
            <ListItem key={entry.path} disablePadding>
              <ListItemButton
                component={NavLink}
                to={entry.path}
                sx={{
                  borderLeft: '4px solid transparent',
                  '&[aria-current="page"]': {
                    borderLeftColor: 'primary.main',
                    bgcolor: 'action.selected',
                    color: 'primary.main',
                    fontWeight: 700,
                    '& .MuiListItemIcon-root': { color: 'primary.main' },
                  },
                }}
              >
                <ListItemIcon sx={{ minWidth: 40, color: 'text.secondary' }}>{entry.icon}</ListItemIcon>
                <ListItemText primary={entry.label} slotProps={{ primary: { sx: { fontWeight: 'inherit' } } }} />
                {entry.status}
              </ListItemButton>
            </ListItem>
          ))}
        </List>
      </nav>
    </Drawer>
  );
}
