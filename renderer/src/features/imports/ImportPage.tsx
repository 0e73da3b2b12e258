import { useId, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ImportHistoryEntry, ImportPreview } from '../../../../shared/api/methods/imports';
import { call, ClientError, errorMessage, useApiQuery } from '../../api/client';
import { JobProgress, newJobId } from '../../components/JobProgress';
import { Page } from '../../components/Page';
import { visuallyHidden } from '../../components/visuallyHidden';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { FilesSection } from './FilesSection';
import { MappingDialog } from './MappingDialog';
import { PreviewSection } from './PreviewSection';
import { importStrings as s } from './strings';

export function ImportPage() {
  const { uai } = useEstablishment();
  return (
    <Page title={s.title} intro={s.intro}>
      {/* A new establishment starts a new import. */}
      {uai ? <ImportFlow key={uai} uai={uai} /> : <Typography>{s.noEstablishment}</Typography>}
    </Page>
  );
}

/** Choose files → read and compare (a job) → preview → apply (a job) → report; the history below. */
function ImportFlow({ uai }: { uai: string }) {
  const [files, setFiles] = useState<string[]>([]);
  const [job, setJob] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mappingFor, setMappingFor] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const history = useApiQuery('imports.history', { uai, limit: 10 }, [revision]);

  if (history.error?.code === 'FORBIDDEN') {
    return <Alert severity="info">{s.forbidden}</Alert>;
  }

  const read = async () => {
    setError(null);
    setPreview(null);
    const jobId = newJobId();
    setJob(jobId);
    try {
      setPreview(await call('imports.preview', { uai, files, jobId }));
      setRevision((n) => n + 1);
    } catch (caught) {
      const details = caught instanceof ClientError ? (caught.details as { reason?: string; file?: string } | undefined) : undefined;
      // A CSV of its own software: map its columns first, then read again.
      if (details?.reason === 'mapping-required') {
        setMappingFor(files.find((f) => f.endsWith(details.file ?? '\0')) ?? files[0] ?? null);
      }
      if (!(caught instanceof ClientError && caught.code === 'CONFLICT' && details?.reason === 'cancelled')) setError(errorMessage(caught));
    } finally {
      setJob(null);
    }
  };

  return (
    <>
      <FilesSection files={files} onChange={setFiles} disabled={job !== null} />
      <Box sx={{ display: 'flex', gap: 1, mb: 2 }}>
        <Button variant="contained" onClick={() => void read()} disabled={job !== null || files.length === 0}>
          {s.files.preview}
        </Button>
      </Box>
      {job && <JobProgress jobId={job} label={s.files.reading} />}
      {error && (
        <Alert severity="error" role="alert" sx={{ mb: 2, maxWidth: 900 }} data-testid="import-error" onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {preview && (
        <PreviewSection
          key={preview.previewId}
          preview={preview}
          onApplied={() => setRevision((n) => n + 1)}
          onDiscard={() => setPreview(null)}
        />
      )}
      <HistorySection entries={history.data ?? []} />
      {mappingFor && (
        <MappingDialog
          uai={uai}
          file={mappingFor}
          onClose={() => setMappingFor(null)}
          onSaved={() => {
            setMappingFor(null);
            void read();
          }}
        />
      )}
    </>
  );
}

function HistorySection({ entries }: { entries: ImportHistoryEntry[] }) {
  const titleId = useId();
  return (
    <Box component="section" aria-labelledby={titleId} sx={{ mt: 4 }}>
      <Typography variant="h2" id={titleId} sx={{ mb: 1 }}>
        {s.history.title}
      </Typography>
      {entries.length === 0 ? (
        <Typography>{s.history.none}</Typography>
      ) : (
        <Paper variant="outlined" sx={{ maxWidth: 1000 }}>
          <Table size="small" data-testid="import-history">
            <Box component="caption" sx={visuallyHidden}>
              {s.history.caption}
            </Box>
            <TableHead>
              <TableRow>
                {s.history.columns.map((label) => (
                  <TableCell key={label} scope="col">
                    {label}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {entries.map((e) => (
                <TableRow key={e.previewId}>
                  <TableCell>{s.history.date(e.createdAt)}</TableCell>
                  <TableCell>{e.files.map((f) => f.name).join(', ')}</TableCell>
                  <TableCell>{s.history.states[e.state] ?? e.state}</TableCell>
                  <TableCell>{e.appliedBy ?? e.createdBy ?? ''}</TableCell>
                  <TableCell>{e.reviewItems === null ? '' : s.count(e.reviewItems)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
    </Box>
  );
}
