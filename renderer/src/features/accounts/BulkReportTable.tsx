import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { BulkReport } from '../../../../shared/api/methods/accounts';
import { accountsStrings as s } from './strings';

/** The per-row report of a bulk action: done, refused and why, or not processed after a stop. */
export function BulkReportTable({ report, outcomes = s.bulk.outcomes }: { report: BulkReport; outcomes?: Record<string, string> }) {
  const skipped = report.rows.filter((r) => r.outcome === 'skipped').length;
  return (
    <>
      <Typography role="status" sx={{ mb: 1 }} data-testid="bulk-summary">
        {s.bulk.summary(report.done, report.refused, skipped)}
      </Typography>
      <Table size="small" aria-label={s.bulk.reportTitle}>
        <TableHead>
          <TableRow>
            <TableCell>{s.bulk.columns.name}</TableCell>
            <TableCell>{s.bulk.columns.outcome}</TableCell>
            <TableCell>{s.bulk.columns.message}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.rows.slice(0, 500).map((r) => (
            <TableRow key={r.id} data-testid="bulk-row" data-outcome={r.outcome}>
              <TableCell>{r.displayName}</TableCell>
              <TableCell>{outcomes[r.outcome]}</TableCell>
              <TableCell>{r.message ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {report.rows.length > 500 && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {s.bulk.moreRows(report.rows.length - 500)}
        </Typography>
      )}
    </>
  );
}
