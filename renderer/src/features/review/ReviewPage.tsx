import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import type { MethodInput, ReviewItem } from '../../../../shared/api/contract';
import { call, errorMessage, on, useApiQuery, useEventRevision } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { JobProgress, newJobId } from '../../components/JobProgress';
import { Page } from '../../components/Page';
import { PendingBadge } from '../../components/PendingBadge';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { DiffView } from './DiffView';
import { HandoffSection } from './HandoffSection';
import { reviewStrings as s } from './strings';

type Filters = Omit<MethodInput<'review.list'>, 'uai' | 'offset' | 'limit'>;
const PAGE = 100;

export function ReviewPage() {
  const { uai } = useEstablishment();
  const [filters, setFilters] = useState<Filters>({ state: 'pending' });
  const [limit, setLimit] = useState(PAGE);
  // One re-read per burst: a decision emits review.changed and outbox.changed, and the page reloads after its own call.
  const [version, reload] = useEventRevision(
    (bump) => [on('review.changed', (e) => e.uai === uai && bump()), on('outbox.changed', (e) => e.uai === uai && bump())],
    [uai],
  );
  /**
   * The current item, by id: a reload may put new items before it (a sync ingests a change of a person listed
   * earlier), and a decisive key must act on the item that has the focus, never on whatever now sits at its index.
   * `index` is where it was last seen: when it leaves the list, the item that took its place becomes current.
   */
  const [selection, setSelection] = useState<{ id: number | null; index: number }>({ id: null, index: 0 });
  const [rejecting, setRejecting] = useState<ReviewItem | null>(null);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  /** Reviewing by keyboard: focus follows the current item even when the decided one leaves the list. */
  const keyboardRef = useRef(false);
  /** A decision or the reject dialog asked for the focus to go to the current item once the list has re-rendered. */
  const focusRequestRef = useRef(false);

  const query = useApiQuery('review.list', { uai: uai ?? '0000000A', ...filters, limit }, [version, uai]);
  const counts = useApiQuery('review.counts', { uai: uai ?? '0000000A' }, [version, uai]);
  /** Items just decided leave a state-filtered view at once (the next item shows without waiting for the reload). */
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const items = useMemo(
    () => (uai ? (query.data?.items ?? []).filter((i) => !hidden.has(i.id)) : []),
    [query.data, uai, hidden],
  );

  const found = items.findIndex((i) => i.id === selection.id);
  const currentIndex = found >= 0 ? found : Math.min(selection.index, items.length - 1);
  const current = currentIndex >= 0 ? items[currentIndex] : undefined;
  if (current && (current.id !== selection.id || currentIndex !== selection.index)) {
    setSelection({ id: current.id, index: currentIndex });
  }
  const selectItem = useCallback((id: number) => setSelection((s) => (s.id === id ? s : { id, index: s.index })), []);

  // Focus follows the current item when asked to (a decision, the reject dialog closing), or when the focused item
  // left the list under the keyboard. MUI's own restore is off on the dialog: it would aim at the decided item's node.
  const currentId = current?.id;
  useEffect(() => {
    if (currentId === undefined || rejecting) return;
    const node = listRef.current?.querySelector<HTMLElement>(`[data-item-id="${currentId}"]`);
    if (!node || document.activeElement === node) {
      if (node) focusRequestRef.current = false;
      return;
    }
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (focusRequestRef.current || (keyboardRef.current && lost)) {
      focusRequestRef.current = false;
      node.focus();
    }
  }, [currentId, rejecting, items]);

  const setFilter = useCallback(<K extends keyof Filters>(key: K, value: Filters[K] | '') => {
    setFilters((f) => ({ ...f, [key]: value === '' ? undefined : value }));
    setSelection({ id: null, index: 0 });
    setLimit(PAGE);
  }, []);

  const act = useCallback(
    async (item: ReviewItem, decision: 'accept' | 'reject' | 'defer' | 'undo', reason?: string) => {
      const leaves = decision !== 'undo' && filters.state !== undefined;
      if (leaves) {
        // The decided item's node goes: the focus moves on to the item that takes its place.
        if (listRef.current?.contains(document.activeElement)) focusRequestRef.current = true;
        setHidden((h) => new Set(h).add(item.id));
      }
      try {
        if (decision === 'undo') await call('review.undo', { id: item.id });
        else await call('review.decide', { id: item.id, decision, reason });
        setMessage(null);
      } catch (error) {
        setMessage({ severity: 'error', text: errorMessage(error) });
        if (leaves) {
          setHidden((h) => {
            const next = new Set(h);
            next.delete(item.id);
            return next;
          });
        }
      }
      reload();
    },
    [filters.state, reload],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey || rejecting || bulkOpen) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, [role="combobox"], [role="listbox"]')) return;
    const key = event.key.toLowerCase();
    keyboardRef.current = true;
    const move = (delta: number) => {
      const next = items[Math.max(0, Math.min(items.length - 1, currentIndex + delta))];
      if (!next) return;
      setSelection({ id: next.id, index: items.indexOf(next) });
      listRef.current?.querySelector<HTMLElement>(`[data-item-id="${next.id}"]`)?.focus();
    };
    if (key === 'j' || key === 'arrowdown') move(1);
    else if (key === 'k' || key === 'arrowup') move(-1);
    else if (!current) return;
    else if (key === 'a') void act(current, 'accept');
    else if (key === 'd') void act(current, 'defer');
    else if (key === 'r') setRejecting(current);
    else if (key === 'u' && current.undoable) void act(current, 'undo');
    else return;
    event.preventDefault();
  };

  if (!uai) return <Page title={s.title} intro={s.intro}><Alert severity="info">{s.noEstablishment}</Alert></Page>;

  return (
    <Page
      title={s.title}
      intro={s.intro}
      actions={<Button variant="outlined" onClick={() => setBulkOpen(true)}>{s.bulk.open}</Button>}
    >
      <ReviewFilters filters={filters} onChange={setFilter} />
      <Typography id="review-keys" variant="body2" sx={{ mb: 1 }}>
        <strong>{s.keyboard.title} :</strong> {s.keyboard.body}
      </Typography>
      {counts.data && counts.data.toKey > 0 && <Alert severity="info" sx={{ mb: 1 }}>{s.toKey(counts.data.toKey)}</Alert>}
      {message && <Alert severity={message.severity} sx={{ mb: 1 }} onClose={() => setMessage(null)}>{message.text}</Alert>}
      {query.error && <Alert severity="error">{query.error.message}</Alert>}
      {query.data && query.data.total === 0 ? (
        <EmptyState icon={<FactCheckOutlined />} title={s.empty.title} body={s.empty.body} action={{ label: s.empty.action, to: '/synchronisation' }} />
      ) : (
        <>
          <Typography variant="body2" aria-live="polite" sx={{ mb: 1 }}>{query.data ? s.list(query.data.total) : ''}</Typography>
          <Box ref={listRef} onKeyDown={onKeyDown} role="list" aria-describedby="review-keys" aria-label={s.title}>
            {items.map((item, index) => (
              <ReviewItemCard
                key={item.id}
                item={item}
                header={index === 0 || items[index - 1]?.personId !== item.personId}
                active={item.id === currentId}
                onSelect={selectItem}
                onAct={act}
                onReject={setRejecting}
              />
            ))}
          </Box>
          {query.data && items.length < query.data.total && (
            <Button onClick={() => setLimit((l) => Math.min(500, l + PAGE))}>{s.more}</Button>
          )}
        </>
      )}
      <HandoffSection uai={uai} />
      <RejectDialog
        key={rejecting?.id ?? 'none'}
        item={rejecting}
        onClose={() => {
          focusRequestRef.current = true;
          setRejecting(null);
        }}
        onConfirm={(item, reason) => {
          focusRequestRef.current = true;
          setRejecting(null);
          void act(item, 'reject', reason);
        }}
      />
      {bulkOpen && <BulkDialog uai={uai} onClose={(text) => { setBulkOpen(false); if (text) setMessage({ severity: 'success', text }); reload(); }} />}
    </Page>
  );
}

type SetFilter = <K extends keyof Filters>(key: K, value: Filters[K] | '') => void;

/** The filter bar; memoised, so moving through the queue or deciding does not re-render its selects. */
const ReviewFilters = memo(function ReviewFilters({ filters, onChange }: { filters: Filters; onChange: SetFilter }) {
  const select = (label: string, key: keyof Filters, options: Record<string, string>) => (
    <TextField select size="small" label={label} value={(filters[key] as string | number | undefined) ?? ''} sx={{ minWidth: 160 }}
      onChange={(e) => onChange(key, (key === 'olderThanDays' ? Number(e.target.value) || '' : e.target.value) as never)}>
      <MenuItem value="">{s.filters.all}</MenuItem>
      {Object.entries(options).map(([value, text]) => <MenuItem key={value} value={value}>{text}</MenuItem>)}
    </TextField>
  );
  return (
    <Box component="section" aria-label={s.filters.label} sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 2 }}>
      {select(s.filters.state, 'state', s.states)}
      {select(s.filters.field, 'field', s.fields)}
      {select(s.filters.source, 'source', s.sources)}
      {select(s.filters.personKind, 'personKind', s.personKinds)}
      {select(s.filters.age, 'olderThanDays', { 7: s.filters.ages[7]!, 30: s.filters.ages[30]! })}
      <TextField size="small" label={s.filters.division} value={filters.division ?? ''} onChange={(e) => onChange('division', e.target.value.trim())} sx={{ width: 120 }} />
    </Box>
  );
});

interface ReviewItemCardProps {
  item: ReviewItem;
  /** First item of its person: shows the person's heading. */
  header: boolean;
  active: boolean;
  onSelect: (id: number) => void;
  onAct: (item: ReviewItem, decision: 'accept' | 'defer' | 'undo') => Promise<void>;
  onReject: (item: ReviewItem) => void;
}

/** Same item content: the list is re-read after every decision, so objects are new even when nothing changed. */
function sameItem(a: ReviewItem, b: ReviewItem): boolean {
  return (Object.keys(a) as (keyof ReviewItem)[]).every((key) => {
    const x = a[key];
    const y = b[key];
    return Array.isArray(x) && Array.isArray(y) ? x.join('\u0000') === y.join('\u0000') : x === y;
  });
}

/**
 * One item; memoised on its content so that moving through a long queue, or re-reading it after a decision,
 * re-renders only the items that changed.
 */
const ReviewItemCard = memo(function ReviewItemCard({ item, header, active, onSelect, onAct, onReject }: ReviewItemCardProps) {
  return (
      <Box key={item.id} role="listitem">
        {header && (
          <Typography variant="h2" sx={{ fontSize: 18, mt: 2, mb: 0.5 }}>
            {item.personLabel}{' '}
            <Typography component="span" variant="body2" color="text.secondary">
              {s.personKinds[item.personKind]}{item.divisions.length ? ` · ${item.divisions.join(', ')}` : ''}
            </Typography>
            {item.orphan && <Chip size="small" label={s.orphan} sx={{ ml: 1 }} />}
          </Typography>
        )}
        <Paper
          variant="outlined"
          tabIndex={active ? 0 : -1}
          data-item-id={item.id}
          data-testid="review-item"
          aria-current={active ? 'true' : undefined}
          aria-label={s.itemLabel(item.personLabel, s.fields[item.field] ?? item.field)}
          onFocus={() => onSelect(item.id)}
          sx={{ p: 1.5, mb: 1, borderWidth: active ? 3 : 1, borderColor: active ? 'primary.main' : undefined, outlineOffset: 2 }}
        >
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
            <strong>{s.fields[item.field] ?? item.field}</strong>
            <Chip size="small" label={s.states[item.state]} data-testid="item-state" />
            <Chip size="small" variant="outlined" label={item.origin === 'import' ? s.importOrigin : s.sources[item.source]} />
            {item.lowRisk && <Chip size="small" variant="outlined" label={s.lowRisk} />}
            {item.sync === 'pending' && <PendingBadge />}
            <Typography variant="body2" color="text.secondary">{s.detectedAt(item.detectedAt)}</Typography>
            {item.decidedBy && <Typography variant="body2" color="text.secondary">{s.decidedBy(item.decidedBy)}</Typography>}
          </Box>
          <DiffView before={item.schoolValue} after={item.newValue} />
          {item.reason && <Typography variant="body2" sx={{ mt: 0.5 }}>« {item.reason} »</Typography>}
          <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
            {['pending', 'deferred', 'conflict'].includes(item.state) && (
              <>
                <Button size="small" variant="contained" aria-keyshortcuts="A" onClick={() => void onAct(item, 'accept')}>{s.actions.accept}</Button>
                <Button size="small" variant="outlined" aria-keyshortcuts="R" onClick={() => onReject(item)}>{s.actions.reject}</Button>
                {item.state !== 'deferred' && (
                  <Button size="small" aria-keyshortcuts="D" onClick={() => void onAct(item, 'defer')}>{s.actions.defer}</Button>
                )}
              </>
            )}
            {item.undoable && <Button size="small" aria-keyshortcuts="U" onClick={() => void onAct(item, 'undo')}>{s.actions.undo}</Button>}
          </Box>
        </Paper>
      </Box>
  );
}, (prev, next) =>
  prev.header === next.header &&
  prev.active === next.active &&
  prev.onSelect === next.onSelect &&
  prev.onAct === next.onAct &&
  prev.onReject === next.onReject &&
  sameItem(prev.item, next.item));

function RejectDialog({ item, onClose, onConfirm }: { item: ReviewItem | null; onClose: () => void; onConfirm: (item: ReviewItem, reason: string) => void }) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = reason.trim() === '';
  return (
    <Dialog open={item !== null} onClose={onClose} aria-labelledby="reject-title" disableRestoreFocus>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (item && !missing) onConfirm(item, reason.trim());
        }}
      >
        <DialogTitle id="reject-title">{s.rejectDialog.title}</DialogTitle>
        <DialogContent>
          {item && <Typography sx={{ mb: 1 }}>{s.itemLabel(item.personLabel, s.fields[item.field] ?? item.field)}</Typography>}
          <TextField autoFocus fullWidth required label={s.rejectDialog.reason} value={reason}
            onChange={(e) => setReason(e.target.value)} error={touched && missing} helperText={touched && missing ? s.rejectDialog.required : ' '}
            slotProps={{ htmlInput: { maxLength: 500 } }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{s.rejectDialog.cancel}</Button>
          <Button type="submit" variant="contained" color="error">{s.rejectDialog.confirm}</Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function BulkDialog({ uai, onClose }: { uai: string; onClose: (message?: string) => void }) {
  const preview = useApiQuery('review.previewBulkAccept', { uai });
  const [jobId, setJobId] = useState<string | null>(null);
  const busy = jobId !== null;
  const [error, setError] = useState<string | null>(null);
  const items = preview.data?.items ?? [];
  return (
    <Dialog open onClose={busy ? undefined : () => onClose()} aria-labelledby="bulk-title" maxWidth="md" fullWidth>
      <DialogTitle id="bulk-title">{s.bulk.title}</DialogTitle>
      <DialogContent>
        {preview.data && <Typography sx={{ mb: 1 }}>{s.bulk.intro(preview.data.total)}</Typography>}
        {error && <Alert severity="error">{error}</Alert>}
        {jobId && <JobProgress jobId={jobId} />}
        <Box component="ul" sx={{ pl: 2 }} data-testid="bulk-preview">
          {items.map((item) => (
            <li key={item.id}>
              <strong>{item.personLabel}</strong> — {s.fields[item.field] ?? item.field}
              <DiffView before={item.schoolValue} after={item.newValue} />
            </li>
          ))}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose()} disabled={busy}>{s.bulk.cancel}</Button>
        <Button
          variant="contained"
          disabled={busy || items.length === 0}
          onClick={() => {
            const id = newJobId();
            setJobId(id);
            call('review.bulkAccept', { ids: items.map((i) => i.id), jobId: id }).then(
              (r) => onClose(s.bulk.done(r.accepted, r.skipped.length)),
              (e: unknown) => {
                setJobId(null);
                setError(errorMessage(e));
              },
            );
          }}
        >
          {s.bulk.confirm(items.length)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
