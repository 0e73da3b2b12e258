import { useCallback, useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import PeopleOutlined from '@mui/icons-material/PeopleOutlined';
import ViewColumnOutlined from '@mui/icons-material/ViewColumnOutlined';
import type { AccountFilters, AccountRow, AccountSort } from '../../../../shared/api/methods/accounts';
import { ATTENTION_KIND, type AccountKind, type AttentionKey } from '../../../../shared/domain/accounts';
import { call, on, useApiQuery, useEventRevision } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { PendingBadge } from '../../components/PendingBadge';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { AccountDetailDrawer } from './AccountDetail';
import { BulkActions, ExportButton, type Selection } from './BulkActions';
import { FilterBar } from './FilterBar';
import { accountsStrings as s, ATTENTION_LABELS, CONTACT_STATUS_LABELS, FAMILY_LABELS, STATE_LABELS } from './strings';

const ALL_COLUMNS: Record<AccountKind, string[]> = {
  pupil: ['login', 'state', 'division', 'ine', 'email', 'family', 'notifiedAt', 'letterExpiresAt', 'activatedAt', 'lastLoginAt', 'attention'],
  guardian: ['login', 'state', 'division', 'email', 'mobile', 'family', 'notifiedAt', 'letterExpiresAt', 'activatedAt', 'lastLoginAt', 'attention'],
};
const DEFAULT_COLUMNS: Record<AccountKind, string[]> = {
  pupil: ['login', 'state', 'division', 'ine', 'activatedAt'],
  guardian: ['login', 'state', 'email', 'mobile', 'activatedAt'],
};
const SORTABLE = new Set(['name', 'login', 'state', 'division', 'activatedAt', 'lastLoginAt', 'ine']);
const PAGE_SIZES = [25, 50, 100, 200];

const formatDate = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('fr-FR') : s.none);

/** Core changes (outbox confirmations, sync runs) bump this so lists and the detail re-read, once per burst. */
const useCoreRevision = (): number =>
  useEventRevision((bump) => [on('outbox.changed', bump), on('sync.state', (p) => p.state !== 'running' && bump())], [], 150)[0];

export function AccountsPage() {
  const { uai } = useEstablishment();
  const [kind, setKind] = useState<AccountKind>('guardian');
  const revision = useCoreRevision();
  return (
    <Page title={s.title} intro={s.intro}>
      {!uai ? (
        <Alert severity="info">{s.noEstablishment}</Alert>
      ) : (
        <AccountsArea key={`${uai}`} uai={uai} kind={kind} setKind={setKind} revision={revision} />
      )}
    </Page>
  );
}

function AccountsArea({ uai, kind, setKind, revision }: { uai: string; kind: AccountKind; setKind: (k: AccountKind) => void; revision: number }) {
  const attention = useApiQuery('accounts.attention', { uai }, [revision]);
  const [filtersByKind, setFiltersByKind] = useState<Record<AccountKind, AccountFilters>>({ pupil: {}, guardian: {} });
  const applyAttention = (key: AttentionKey, k: AccountKind) => {
    setKind(k);
    setFiltersByKind((all) => ({ ...all, [k]: { attention: [key] } }));
  };
  return (
    <>
      <AttentionDashboard items={attention.data ?? []} onPick={applyAttention} />
      <Tabs value={kind} onChange={(_, v: AccountKind) => setKind(v)} aria-label={s.tabsLabel} sx={{ mb: 2 }}>
        <Tab value="pupil" label={s.tabs.pupil} id="tab-pupil" aria-controls="panel-pupil" />
        <Tab value="guardian" label={s.tabs.guardian} id="tab-guardian" aria-controls="panel-guardian" />
      </Tabs>
      <Box role="tabpanel" id={`panel-${kind}`} aria-labelledby={`tab-${kind}`}>
        <AccountList
          key={`${uai}-${kind}`}
          uai={uai}
          kind={kind}
          revision={revision}
          filters={filtersByKind[kind]}
          setFilters={(f) => setFiltersByKind((all) => ({ ...all, [kind]: f }))}
        />
      </Box>
    </>
  );
}

function AttentionDashboard({ items, onPick }: { items: { key: AttentionKey; kind: AccountKind; count: number }[]; onPick: (key: AttentionKey, kind: AccountKind) => void }) {
  return (
    <Box component="section" aria-labelledby="attention-title" sx={{ mb: 3 }}>
      <Typography variant="h2" id="attention-title" sx={{ mb: 0.5 }}>
        {s.attentionTitle}
      </Typography>
      <Typography color="text.secondary" variant="body2" sx={{ mb: 1 }}>
        {s.attentionHelp}
      </Typography>
      <Box component="ul" sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, listStyle: 'none', p: 0, m: 0 }}>
        {items.map((i) => (
          <li key={`${i.kind}-${i.key}`}>
            <Button
              variant="outlined"
              size="small"
              color={i.count > 0 ? 'warning' : 'inherit'}
              onClick={() => onPick(i.key, i.kind)}
              data-testid={`attention-${i.kind}-${i.key}`}
            >
              {ATTENTION_LABELS[i.key]}
              {ATTENTION_KIND[i.key] === 'both' ? ` (${s.tabs[i.kind]})` : ''} : {i.count.toLocaleString('fr-FR')}
            </Button>
          </li>
        ))}
      </Box>
    </Box>
  );
}

interface ListProps {
  uai: string;
  kind: AccountKind;
  revision: number;
  filters: AccountFilters;
  setFilters: (f: AccountFilters) => void;
}

function AccountList({ uai, kind, revision, filters, setFilters }: ListProps) {
  const [text, setText] = useState('');
  const [debounced, setDebounced] = useState('');
  const [sort, setSort] = useState<AccountSort>({ field: 'name', direction: 'asc' });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(50);
  const [columns, setColumns] = useState<string[]>(DEFAULT_COLUMNS[kind]);
  const [selection, setSelection] = useState<Selection>({ ids: new Set(), allMatching: false });
  const [openId, setOpenId] = useState<string | null>(null);
  const [columnsAnchor, setColumnsAnchor] = useState<HTMLElement | null>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 200);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => {
    let live = true;
    call('accounts.getPreferences', { kind }).then(
      (prefs) => {
        if (!live || !prefs) return;
        setColumns(prefs.columns.filter((c) => ALL_COLUMNS[kind].includes(c)));
        setPageSize(prefs.pageSize);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [kind]);

  const savePrefs = (next: { columns?: string[]; pageSize?: number }) => {
    const prefs = { columns: next.columns ?? columns, pageSize: next.pageSize ?? pageSize };
    void call('accounts.savePreferences', { kind, preferences: prefs }).catch(() => undefined);
  };

  const query = useMemo(() => ({ kind, uai, text: debounced || undefined, filters }), [kind, uai, debounced, filters]);
  const queryKey = JSON.stringify(query);
  // A new query starts at its first page with nothing selected (adjusted while rendering, not in an effect).
  const [seenQuery, setSeenQuery] = useState(queryKey);
  if (seenQuery !== queryKey) {
    setSeenQuery(queryKey);
    setPage(0);
    setSelection({ ids: new Set(), allMatching: false });
  }

  const list = useApiQuery('accounts.search', { ...query, sort, offset: page * pageSize, limit: pageSize }, [revision], { keepPrevious: true });
  const facets = useApiQuery('accounts.facets', query, [revision]);
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;

  const toggleSort = (field: AccountSort['field']) =>
    setSort((current) => ({ field, direction: current.field === field && current.direction === 'asc' ? 'desc' : 'asc' }));
  const pageIds = rows.map((r) => r.id);
  const pageAllSelected = pageIds.length > 0 && (selection.allMatching || pageIds.every((id) => selection.ids.has(id)));
  const selectedCount = selection.allMatching ? total : selection.ids.size;
  const togglePage = () =>
    setSelection((sel) => {
      if (pageAllSelected) return { ids: new Set(), allMatching: false };
      return { ids: new Set([...sel.ids, ...pageIds]), allMatching: false };
    });
  const toggleRow = (id: string) =>
    setSelection((sel) => {
      if (sel.allMatching) return { ids: new Set(pageIds.filter((x) => x !== id)), allMatching: false };
      const ids = new Set(sel.ids);
      if (ids.has(id)) ids.delete(id);
      else ids.add(id);
      return { ids, allMatching: false };
    });
  const refresh = useCallback(() => {
    list.reload();
    facets.reload();
  }, [list, facets]);

  const cell = (row: AccountRow, column: string) => {
    switch (column) {
      case 'login':
        return row.login ?? s.none;
      case 'state':
        return (
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
            {STATE_LABELS[row.state]}
            {row.pending && <PendingBadge />}
          </Box>
        );
      case 'division':
        return row.division ?? s.none;
      case 'ine':
        return row.ine ?? s.none;
      case 'email':
        return row.email ? `${row.email} (${s.contact[row.emailStatus]})` : CONTACT_STATUS_LABELS.none;
      case 'mobile':
        return row.mobile ? `${row.mobile} (${s.contact[row.mobileStatus]})` : CONTACT_STATUS_LABELS.none;
      case 'family':
        return FAMILY_LABELS[row.family];
      case 'notifiedAt':
        return formatDate(row.notifiedAt);
      case 'letterExpiresAt':
        return formatDate(row.letterExpiresAt);
      case 'activatedAt':
        return formatDate(row.activatedAt);
      case 'lastLoginAt':
        return formatDate(row.lastLoginAt);
      case 'attention':
        return row.attention.length ? row.attention.map((a) => <Chip key={a} size="small" label={ATTENTION_LABELS[a]} sx={{ mr: 0.5, mb: 0.5 }} />) : s.none;
      default:
        return null;
    }
  };

  return (
    <>
      <FilterBar kind={kind} text={text} onText={setText} filters={filters} onFilters={setFilters} facets={facets.data} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', my: 1 }}>
        <Typography role="status" aria-live="polite" sx={{ flexGrow: 1 }} data-testid="accounts-total">
          {list.data ? s.results(total) : s.loading}
        </Typography>
        <BulkActions kind={kind} uai={uai} query={query} selection={selection} count={selectedCount} onDone={refresh} />
        <ExportButton kind={kind} uai={uai} query={query} sort={sort} total={total} />
        <Button startIcon={<ViewColumnOutlined />} onClick={(e) => setColumnsAnchor(e.currentTarget)} aria-haspopup="true">
          {s.chooseColumns}
        </Button>
        <Menu anchorEl={columnsAnchor} open={columnsAnchor !== null} onClose={() => setColumnsAnchor(null)} aria-label={s.chooseColumnsTitle}>
          {ALL_COLUMNS[kind].map((c) => (
            <MenuItem key={c} dense>
              <FormControlLabel
                control={
                  <Checkbox
                    size="small"
                    checked={columns.includes(c)}
                    onChange={() => {
                      const next = columns.includes(c) ? columns.filter((x) => x !== c) : ALL_COLUMNS[kind].filter((x) => x === c || columns.includes(x));
                      setColumns(next);
                      savePrefs({ columns: next });
                    }}
                  />
                }
                label={s.columns[c]}
              />
            </MenuItem>
          ))}
        </Menu>
      </Box>
      {pageAllSelected && total > pageIds.length && (
        <Alert severity="info" sx={{ mb: 1 }} data-testid="select-all-banner">
          {selection.allMatching ? s.allMatchingSelected(total) : s.pageSelected(pageIds.length)}{' '}
          {selection.allMatching ? (
            <Link component="button" onClick={() => setSelection({ ids: new Set(), allMatching: false })}>
              {s.clearSelection}
            </Link>
          ) : (
            <Link component="button" onClick={() => setSelection({ ids: new Set(), allMatching: true })}>
              {s.selectAllMatching(total)}
            </Link>
          )}
        </Alert>
      )}
      {list.loading && <LinearProgress aria-label={s.loading} sx={{ mb: 0.5 }} />}
      {list.error && <Alert severity="error">{list.error.message}</Alert>}
      {list.data && total === 0 && !debounced && Object.values(filters).every((v) => !v?.length) ? (
        <EmptyState icon={<PeopleOutlined />} title={s.empty.title} body={s.empty.body} action={{ label: s.empty.action, to: '/synchronisation' }} />
      ) : (
        <Paper variant="outlined">
          <TableContainer>
            <Table size="small" aria-label={kind === 'pupil' ? s.tabs.pupil : s.tabs.guardian}>
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox">
                    <Checkbox checked={pageAllSelected} onChange={togglePage} inputProps={{ 'aria-label': s.selectPage }} />
                  </TableCell>
                  {['name', ...columns].map((c) => (
                    <TableCell key={c} sortDirection={sort.field === c ? sort.direction : false}>
                      {SORTABLE.has(c) ? (
                        <TableSortLabel active={sort.field === c} direction={sort.field === c ? sort.direction : 'asc'} onClick={() => toggleSort(c as AccountSort['field'])}>
                          {s.columns[c]}
                        </TableSortLabel>
                      ) : (
                        s.columns[c]
                      )}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.id} hover selected={selection.allMatching || selection.ids.has(row.id)}>
                    <TableCell padding="checkbox">
                      <Checkbox
                        checked={selection.allMatching || selection.ids.has(row.id)}
                        onChange={() => toggleRow(row.id)}
                        inputProps={{ 'aria-label': s.selectRow(row.displayName) }}
                      />
                    </TableCell>
                    <TableCell>
                      <Link component="button" onClick={() => setOpenId(row.id)} aria-label={s.openDetail(row.displayName)} sx={{ textAlign: 'left' }}>
                        {row.displayName}
                      </Link>
                    </TableCell>
                    {columns.map((c) => (
                      <TableCell key={c}>{cell(row, c)}</TableCell>
                    ))}
                  </TableRow>
                ))}
                {list.data && rows.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={columns.length + 2}>{s.noResults}</TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </TableContainer>
          <TablePagination
            component="div"
            count={total}
            page={Math.min(page, Math.max(0, Math.ceil(total / pageSize) - 1))}
            onPageChange={(_, p) => setPage(p)}
            rowsPerPage={pageSize}
            rowsPerPageOptions={PAGE_SIZES}
            onRowsPerPageChange={(e) => {
              const size = Number(e.target.value);
              setPageSize(size);
              setPage(0);
              savePrefs({ pageSize: size });
            }}
            labelRowsPerPage={s.rowsPerPage}
            labelDisplayedRows={s.pageRange}
          />
        </Paper>
      )}
      {openId && <AccountDetailDrawer kind={kind} uai={uai} id={openId} revision={revision} onClose={() => setOpenId(null)} onChanged={refresh} />}
      {selectedCount > 0 && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {s.selected(selectedCount)}
        </Typography>
      )}
    </>
  );
}
