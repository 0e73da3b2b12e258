import { useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import BarChartOutlined from '@mui/icons-material/BarChartOutlined';
import PrintOutlined from '@mui/icons-material/PrintOutlined';
import { on, useApiQuery, useEventRevision } from '../../api/client';
import { formatDateTime } from '../../app/format';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { useOperator } from '../auth/SessionContext';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { CallListSection } from './CallListSection';
import { EvolutionSection } from './EvolutionSection';
import { ExportWorkbook } from './ExportWorkbook';
import { GroupTables } from './GroupTables';
import { KeyFigures } from './KeyFigures';
import { PrintStyles } from './PrintStyles';
import { TargetDialog } from './TargetDialog';
import { statsStrings as s } from './strings';

type Scope = 'one' | 'all';

/**
 * « Statistiques »: the activation rates of the chosen establishment (or of all the operator's), their evolution over
 * the year, the tables by level, class, MEF (establishment and department with several), the call list, the workbook
 * export and a print view. Reloads when a sync records new figures (`stats.changed`).
 */
export function StatsPage() {
  const { uai, establishment, establishments } = useEstablishment();
  const operator = useOperator();
  const [scope, setScope] = useState<Scope>('one');
  const several = scope === 'all' && establishments.length > 1;
  const [revision, bump] = useEventRevision((b) => [on('stats.changed', b)], []);
  const summaryQuery = useApiQuery('stats.summary', several || !uai ? {} : { uai }, [revision]);
  const summary = summaryQuery.data;
  const names = useMemo(() => new Map(establishments.map((e) => [e.uai, e.name])), [establishments]);
  const hasData = summary !== undefined && summary.pupils.total + summary.guardians.total > 0;
  const scopeName = several ? s.scope.all(establishments.length) : establishment ? `${establishment.name} (${establishment.uai})` : '';

  if (!uai) {
    return (
      <Page title={s.title} intro={s.intro}>
        <Alert severity="info">{s.noEstablishment}</Alert>
      </Page>
    );
  }
  return (
    <Page
      title={s.title}
      intro={s.intro}
      actions={
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }} className="stats-no-print">
          <Button variant="outlined" startIcon={<PrintOutlined />} onClick={() => window.print()} disabled={!hasData} data-testid="stats-print">
            {s.actions.print}
          </Button>
          <ExportWorkbook uai={several ? null : uai} disabledReason={summary && !hasData ? s.actions.exportDisabled : null} />
        </Box>
      }
    >
      <PrintStyles />
      <Box className="stats-page" data-testid="stats-page">
        <Typography variant="h2" className="stats-print-only stats-print-heading" sx={{ mb: 2 }}>
          {s.print.heading(scopeName)}
        </Typography>
        {establishments.length > 1 && (
          <RadioGroup row aria-label={s.scope.label} value={scope} onChange={(e) => setScope(e.target.value as Scope)} className="stats-no-print" sx={{ mb: 2 }}>
            <FormControlLabel value="one" control={<Radio />} label={s.scope.one(establishment?.name ?? uai)} />
            <FormControlLabel value="all" control={<Radio />} label={s.scope.all(establishments.length)} />
          </RadioGroup>
        )}
        {summary && !hasData && (
          <Typography id="stats-export-disabled" color="text.secondary" sx={{ mb: 2 }} className="stats-no-print">
            {s.actions.exportDisabled}
          </Typography>
        )}
        {summaryQuery.error && <Alert severity="error">{summaryQuery.error.message}</Alert>}
        {!summary && !summaryQuery.error && <Typography role="status">{s.loading}</Typography>}
        {summary && !hasData && (
          <EmptyState
            icon={<BarChartOutlined />}
            title={s.empty.title}
            body={several ? s.empty.bodySeveral : s.empty.body}
            action={{ label: s.empty.action, to: '/synchronisation' }}
          />
        )}
        {summary && hasData && (
          <>
            <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 3 }}>
              <Typography data-testid="stats-as-of">{s.asOf(summary.asOf, summary.syncedAt, formatDateTime)}</Typography>
              <Typography sx={{ fontWeight: 700 }} data-testid="stats-target">
                {s.target.label(summary.target)}
              </Typography>
              {operator?.role === 'chef' && (
                <Box className="stats-no-print">
                  <TargetDialog target={summary.target} onSaved={bump} />
                </Box>
              )}
            </Box>
            <KeyFigures summary={summary} />
            <EvolutionSection uai={several ? null : uai} revision={revision} />
            <GroupTables key={several ? 'all' : uai} summary={summary} names={names} />
            {!several && <CallListSection key={uai} uai={uai} revision={revision} />}
          </>
        )}
      </Box>
    </Page>
  );
}
