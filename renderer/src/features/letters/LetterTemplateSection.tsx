import { type FormEvent, useId, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { SettingsView } from '../../../../shared/api/contract';
import type { AccountKind } from '../../../../shared/domain/accounts';
import {
  composeLetter,
  LETTER_BLOCK_LABELS,
  LETTER_BLOCK_LIMITS,
  LETTER_BLOCKS,
  letterBlockProblem,
  PASSWORD_PLACEHOLDER,
  validityEnd,
  type LetterBlock,
  type LetterBlocks,
} from '../../../../shared/domain/letters';
import { call, errorMessage, useApiQuery } from '../../api/client';
import { LetterPreview } from './LetterPreview';
import { templateStrings as t } from './template-strings';

/** Sample people for the preview (fictitious). */
const SAMPLE = {
  guardian: { kind: 'guardian' as const, person: { civility: 'Mme' as const, firstName: 'Éloïse', lastName: 'Exemple' }, address: { line1: '1 rue de l’Exemple', line2: null, postalCode: '31000', city: 'Toulouse', country: 'France' } },
  pupil: {
    kind: 'pupil' as const,
    person: { firstName: 'Léo', lastName: 'Exemple' },
    division: '6A',
    careOf: [{ civility: 'Mme' as const, firstName: 'Éloïse', lastName: 'Exemple' }],
    address: { line1: '1 rue de l’Exemple', line2: null, postalCode: '31000', city: 'Toulouse', country: 'France' },
  },
};

/**
 * Paramètres › Courriers: the letters' editable blocks (plain text within each block's limits), with a live preview of
 * a letter to a guardian or a pupil. Everyone reads; the head of establishment edits (the core refuses the others).
 */
export function LetterTemplateSection({ view, canEdit, establishmentName, city }: { view: SettingsView; canEdit: boolean; establishmentName: string; city: string | null }) {
  const template = useApiQuery('letters.getTemplate', { uai: view.uai }, []);
  const titleId = useId();
  return (
    <Paper variant="outlined" component="section" aria-labelledby={titleId} sx={{ p: 3, mb: 3 }} data-testid="letter-template">
      <Typography variant="h2" id={titleId} sx={{ mb: 1 }}>
        {t.title}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t.intro}
      </Typography>
      {template.error && <Alert severity="error">{template.error.message}</Alert>}
      {template.data && (
        <TemplateForm
          key={template.data.updatedAt ?? 'defaults'}
          initial={template.data.blocks}
          defaults={template.data.defaults}
          view={view}
          canEdit={canEdit}
          establishmentName={establishmentName}
          city={city}
          onSaved={template.reload}
        />
      )}
    </Paper>
  );
}

function TemplateForm({
  initial,
  defaults,
  view,
  canEdit,
  establishmentName,
  city,
  onSaved,
}: {
  initial: LetterBlocks;
  defaults: LetterBlocks;
  view: SettingsView;
  canEdit: boolean;
  establishmentName: string;
  city: string | null;
  onSaved: () => void;
}) {
  const [blocks, setBlocks] = useState<LetterBlocks>(initial);
  const [kind, setKind] = useState<AccountKind>('guardian');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ severity: 'success' | 'error'; text: string } | null>(null);
  const problems = Object.fromEntries(LETTER_BLOCKS.map((b) => [b, letterBlockProblem(b, blocks[b])])) as Record<LetterBlock, string | null>;
  const invalid = LETTER_BLOCKS.some((b) => problems[b] !== null);
  const letter = useMemo(() => {
    const now = new Date();
    return composeLetter({
      recipient: SAMPLE[kind],
      establishment: {
        uai: view.uai,
        name: establishmentName,
        city,
        header: view.establishment?.letterHeader ?? establishmentName,
        helpContact: view.establishment?.helpContact ?? null,
      },
      login: kind === 'pupil' ? 'leo.exemple1' : 'e.exemple7',
      password: PASSWORD_PLACEHOLDER,
      issuedAt: now,
      validUntil: validityEnd(now),
      blocks,
    });
  }, [blocks, kind, view, establishmentName, city]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    setBusy(true);
    setOutcome(null);
    call('letters.saveTemplate', { uai: view.uai, blocks })
      .then(() => {
        setOutcome({ severity: 'success', text: t.saved });
        onSaved();
      })
      .catch((caught: unknown) => setOutcome({ severity: 'error', text: errorMessage(caught) }))
      .finally(() => setBusy(false));
  };

  return (
    <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { lg: '1fr 1fr' } }}>
      <Box component="form" noValidate onSubmit={submit} sx={{ display: 'grid', gap: 2, alignContent: 'start' }}>
        {LETTER_BLOCKS.map((block) => {
          const { maxLength, maxLines } = LETTER_BLOCK_LIMITS[block];
          return (
            <TextField
              key={block}
              label={LETTER_BLOCK_LABELS[block]}
              value={blocks[block]}
              onChange={(e) => setBlocks((current) => ({ ...current, [block]: e.target.value }))}
              multiline
              minRows={block === 'signature' ? 1 : 3}
              disabled={!canEdit}
              error={problems[block] !== null}
              helperText={problems[block] ?? t.counter(blocks[block].length, maxLength, maxLines)}
            />
          );
        })}
        {canEdit && (
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <Button type="submit" variant="contained" disabled={busy || invalid}>
              {busy ? t.saving : t.save}
            </Button>
            <Button onClick={() => setBlocks(defaults)} disabled={busy}>
              {t.reset}
            </Button>
          </Box>
        )}
        <Box role="status" aria-live="polite">
          {outcome && <Alert severity={outcome.severity}>{outcome.text}</Alert>}
        </Box>
      </Box>
      <Box>
        <Box component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
          <Typography component="legend" sx={{ fontWeight: 700 }}>
            {t.previewOf}
          </Typography>
          <RadioGroup row value={kind} onChange={(e) => setKind(e.target.value as AccountKind)}>
            <FormControlLabel value="guardian" control={<Radio />} label={t.kinds.guardian} />
            <FormControlLabel value="pupil" control={<Radio />} label={t.kinds.pupil} />
          </RadioGroup>
        </Box>
        <LetterPreview letter={letter} name={t.sampleName} />
      </Box>
    </Box>
  );
}
