/**
 * Shared by the statistics tests: a real core (governance, dispatcher) on a real demo directory over HTTP, signed in
 * as the head of every demo establishment and synced; and a reference of the dashboard's figures computed here from
 * the mirror's raw rows (dir_pupils, dir_guardians, dir_links, dir_accounts), independently of the projection.
 */
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core';
import type { CallOrigin } from '../../electron/core/dispatcher';
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import type { AccountData, GuardianData, LinkData, PupilData } from '../../shared/directory/wire';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator } from './sync-helpers';

const origin: CallOrigin = { transport: 'internal' };

export interface StatsEnv {
  core: Core;
  directory: DemoDirectory;
  uais: string[];
  dataDir: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** sync.run, then waits for the statistics snapshots it triggers. */
  sync(uai?: string): Promise<void>;
  /** POST /admin/advance on the demo directory. */
  advance(days: number): Promise<string>;
  close(): Promise<void>;
}

export async function openStatsEnv(options: { establishments?: number; pupils?: number; today?: string } = {}): Promise<StatsEnv> {
  const data = tempDir('ecd-stats-');
  const directory = await createDemoDirectory({
    memory: true,
    seed: 11,
    establishments: options.establishments ?? 2,
    pupils: options.pupils ?? 150,
    today: options.today ?? '2026-10-01',
  });
  const core = createCore({
    dataDir: join(data.path, 'app'),
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, timeoutMs: 5000, probeMs: 100, pageLimit: 1000, log: () => undefined },
    auth: { failureDelayMs: 0 },
  });
  const op = operator(directory, 'multi.demo');
  const call = <M extends MethodName>(method: M, input: MethodInput<M>) => core.dispatcher.call(method, input, origin);
  await call('auth.signIn', { login: op.login, password: op.password });
  await core.directory.scheduler.whenIdle();
  const sync = async (uai?: string) => {
    await call('sync.run', uai ? { uai } : {});
    await core.directory.scheduler.whenIdle();
    await core.stats.settled();
  };
  await sync();
  return {
    core,
    directory,
    uais: op.uais,
    dataDir: data.path,
    call,
    sync,
    advance: async (days) => {
      const res = await fetch(`${directory.url}/admin/advance`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${directory.adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ days }),
      });
      return ((await res.json()) as { today: string }).today;
    },
    close: async () => {
      await core.shutdown();
      await directory.close();
      data.remove();
    },
  };
}

export interface ReferenceGroup {
  pupils: number;
  pupilsActivated: number;
  pupilsNotified: number;
  guardians: number;
  guardiansActivated: number;
  guardiansNotified: number;
  familiesWithActivatedGuardian: number;
}

const live = <T>(db: Database, table: string, uai: string): { id: string; data: T }[] =>
  (db.prepare(`SELECT id, data FROM ${table} WHERE uai = ? AND deleted = 0`).all(uai) as { id: string; data: string }[]).map((r) => ({
    id: r.id,
    data: JSON.parse(r.data) as T,
  }));

/**
 * The figures from the raw mirror rows, written from the rules as stated (not from the projection's code): every pupil;
 * every guardian who is a legal guardian (level 1) of a pupil or holds an account; activated = state active or
 * bloque; a family = a pupil with at least one activated legal guardian; a guardian counts in each class of their
 * children.
 */
export function referenceFigures(db: Database, uai: string): { totals: ReferenceGroup; classes: Map<string, ReferenceGroup>; expired: (asOf: string) => number } {
  const pupils = live<PupilData>(db, 'dir_pupils', uai);
  const guardians = live<GuardianData>(db, 'dir_guardians', uai);
  const links = live<LinkData>(db, 'dir_links', uai);
  const accounts = live<AccountData>(db, 'dir_accounts', uai);
  const state = new Map(accounts.map((a) => [`${a.data.personKind}:${a.data.personId}`, a.data.state]));
  const activated = (kind: string, id: string) => ['active', 'bloque'].includes(state.get(`${kind}:${id}`) ?? '');
  const notified = (kind: string, id: string) => state.get(`${kind}:${id}`) === 'notifie';
  const pupilById = new Map(pupils.map((p) => [p.id, p]));
  const guardianIds = new Set(guardians.map((g) => g.id));
  const valid = links.filter((l) => pupilById.has(l.data.pupilId) && guardianIds.has(l.data.guardianId));
  const empty = (): ReferenceGroup => ({ pupils: 0, pupilsActivated: 0, pupilsNotified: 0, guardians: 0, guardiansActivated: 0, guardiansNotified: 0, familiesWithActivatedGuardian: 0 });
  const totals = empty();
  const classes = new Map<string, ReferenceGroup>();
  const group = (division: string) => classes.get(division) ?? (classes.set(division, empty()), classes.get(division)!);
  for (const p of pupils) {
    const legal = valid.filter((l) => l.data.pupilId === p.id && l.data.level === 1).map((l) => l.data.guardianId);
    const family = legal.some((g) => activated('guardian', g));
    for (const g of [totals, group(p.data.division)]) {
      g.pupils += 1;
      if (activated('pupil', p.id)) g.pupilsActivated += 1;
      if (notified('pupil', p.id)) g.pupilsNotified += 1;
      if (family) g.familiesWithActivatedGuardian += 1;
    }
  }
  const legalGuardians = new Set(valid.filter((l) => l.data.level === 1).map((l) => l.data.guardianId));
  for (const g of guardians) {
    if (!legalGuardians.has(g.id) && !state.has(`guardian:${g.id}`)) continue;
    const divisions = new Set(valid.filter((l) => l.data.guardianId === g.id).map((l) => pupilById.get(l.data.pupilId)!.data.division));
    for (const target of [totals, ...[...divisions].map(group)]) {
      target.guardians += 1;
      if (activated('guardian', g.id)) target.guardiansActivated += 1;
      if (notified('guardian', g.id)) target.guardiansNotified += 1;
    }
  }
  const expired = (asOf: string) => accounts.filter((a) => a.data.state === 'notifie' && a.data.letterExpiresAt !== null && a.data.letterExpiresAt < asOf).length;
  return { totals, classes, expired };
}
