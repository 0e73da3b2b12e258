import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { DEMO_OPERATORS, type DemoOperatorSpec } from '../../../../shared/directory/demo-operators';
import { visuallyHidden } from '../../components/visuallyHidden';
import { authStrings as s } from './strings';

/** The demo directory's operators; their passwords are public on purpose (demos and training). */
export function DemoOperatorsTable({ onUse }: { onUse: (operator: DemoOperatorSpec) => void }) {
  return (
    <Box component="section" aria-labelledby="demo-operators-title">
      <Typography variant="h2" id="demo-operators-title" sx={{ mb: 1 }}>
        {s.demo.title}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '70ch' }}>
        {s.demo.intro}
      </Typography>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" data-testid="demo-operators">
          <Box component="caption" sx={visuallyHidden}>
            {s.demo.caption}
          </Box>
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">{s.demo.columns.login}</TableCell>
              <TableCell component="th" scope="col">{s.demo.columns.password}</TableCell>
              <TableCell component="th" scope="col">{s.demo.columns.role}</TableCell>
              <TableCell component="th" scope="col">{s.demo.columns.establishments}</TableCell>
              <TableCell component="th" scope="col">
                <Box component="span" sx={visuallyHidden}>{s.demo.columns.action}</Box>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {DEMO_OPERATORS.map((operator) => (
              <TableRow key={operator.login} data-testid={`demo-operator-${operator.login}`} data-role={operator.role}>
                <TableCell component="th" scope="row">
                  <code>{operator.login}</code>
                </TableCell>
                <TableCell>
                  <code>{operator.password}</code>
                </TableCell>
                <TableCell>{s.roles[operator.role]}</TableCell>
                <TableCell>{s.demo.establishments[operator.uais]}</TableCell>
                <TableCell align="right">
                  <Button variant="outlined" size="small" aria-label={s.demo.useFor(operator.login)} onClick={() => onUse(operator)}>
                    {s.demo.use}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}
