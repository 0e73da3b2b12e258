import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import TextField from '@mui/material/TextField';
import type { AccountFacets, AccountFilters } from '../../../../shared/api/methods/accounts';
import {
  ACCOUNT_STATE_VALUES,
  ATTENTION_KEYS,
  ATTENTION_KIND,
  CONTACT_STATUSES,
  FAMILY_STATUSES,
  LEVELS,
  type AccountKind,
} from '../../../../shared/domain/accounts';
import { findMef } from '../../../../shared/domain/mef';
import {
  accountsStrings as s,
  ATTENTION_LABELS,
  CONTACT_STATUS_LABELS,
  FAMILY_LABELS,
  LEVEL_LABELS,
  STATE_LABELS,
} from './strings';

type Field = keyof AccountFilters;

interface FilterBarProps {
  kind: AccountKind;
  text: string;
  onText: (text: string) => void;
  filters: AccountFilters;
  onFilters: (filters: AccountFilters) => void;
  facets: AccountFacets | undefined;
}

/** Values and labels of each filter; MEF and classes come from the counts (what the establishment has). */
function options(field: Field, kind: AccountKind, facets: AccountFacets | undefined): { value: string; label: string }[] {
  switch (field) {
    case 'state':
      return ACCOUNT_STATE_VALUES.map((v) => ({ value: v, label: STATE_LABELS[v] }));
    case 'family':
      return FAMILY_STATUSES.map((v) => ({ value: v, label: FAMILY_LABELS[v] }));
    case 'email':
    case 'mobile':
      return CONTACT_STATUSES.map((v) => ({ value: v, label: CONTACT_STATUS_LABELS[v] }));
    case 'level':
      return LEVELS.map((v) => ({ value: v, label: LEVEL_LABELS[v] }));
    case 'mef':
      return (facets?.mef ?? []).map((f) => ({ value: f.value, label: findMef(f.value)?.label ?? f.value }));
    case 'division':
      return (facets?.division ?? []).map((f) => ({ value: f.value, label: f.value }));
    case 'attention':
      return ATTENTION_KEYS.filter((k) => ATTENTION_KIND[k] === 'both' || ATTENTION_KIND[k] === kind).map((v) => ({ value: v, label: ATTENTION_LABELS[v] }));
  }
}

const FIELDS: Field[] = ['state', 'family', 'email', 'mobile', 'level', 'mef', 'division', 'attention'];

/** The list's search box and one multiple choice per filter, each value with its count. */
export function FilterBar({ kind, text, onText, filters, onFilters, facets }: FilterBarProps) {
  const fields = kind === 'pupil' ? FIELDS.filter((f) => f !== 'mobile') : FIELDS;
  const active = Object.values(filters).some((v) => v && v.length > 0);
  return (
    <Box component="section" aria-label={s.filtersLabel} sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start' }}>
      <TextField
        label={s.searchLabel}
        helperText={s.searchHelp}
        value={text}
        onChange={(e) => onText(e.target.value)}
        size="small"
        type="search"
        sx={{ minWidth: 320, flexGrow: 1 }}
        slotProps={{ htmlInput: { 'data-testid': 'accounts-search' } }}
      />
      {fields.map((field) => {
        const counts = new Map((facets?.[field] ?? []).map((c) => [c.value, c.count]));
        const selected = (filters[field] ?? []) as string[];
        const id = `filter-${field}`;
        const labelOf = (v: string) => options(field, kind, facets).find((o) => o.value === v)?.label ?? v;
        return (
          <FormControl key={field} size="small" sx={{ minWidth: 170, maxWidth: 260 }}>
            <InputLabel id={`${id}-label`}>{s.filterNames[field]}</InputLabel>
            <Select
              labelId={`${id}-label`}
              id={id}
              multiple
              value={selected}
              label={s.filterNames[field]}
              renderValue={(values) => values.map(labelOf).join(', ')}
              onChange={(e) => {
                const value = e.target.value;
                const list = typeof value === 'string' ? value.split(',') : value;
                onFilters({ ...filters, [field]: list.length ? list : undefined });
              }}
            >
              {options(field, kind, facets).map((o) => (
                <MenuItem key={o.value} value={o.value} dense>
                  <Checkbox size="small" checked={selected.includes(o.value)} tabIndex={-1} />
                  <ListItemText primary={`${o.label} (${(counts.get(o.value) ?? 0).toLocaleString('fr-FR')})`} />
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        );
      })}
      {active && (
        <Button onClick={() => onFilters({})} sx={{ mt: 0.5 }}>
          {s.clearFilters}
        </Button>
      )}
    </Box>
  );
}
