/**
 * The statistics capability: the dashboard's figures (figures.ts), the evolution (evolution.ts), the call list
 * (call-list.ts), the workbook (workbook.ts) as a job written through the shared export file, and, after each sync
 * run, a snapshot of the figures dated with the directory's date together with the directory's own history.
 * Rights are the dispatcher's (each method's scope); the operator-wide calls read their establishments from ctx.uais.
 */
import type { Database } from 'better-sqlite3';
import type { StatsSummary } from '../../../shared/api/methods/stats';
import { TARGET_DEFAULT } from '../../../shared/api/methods/stats';
import { ApiError } from '../../../shared/api/errors';
import type { ActivationHistory } from '../../../shared/directory/wire';
import type { Handlers } from '../dispatcher';
import type { DirectoryClient } from '../directory/client';
import type { EventBus } from '../events';
import { writeExportFile } from '../exports/file';
import { localDate } from '../governance/dates';
import type { JobRegistry } from '../jobs';
import { callListChunks, callListPage } from './call-list';
import { evolutionChartSvg, svgToPng } from './chart';
import { establishmentFigures, summarize } from './figures';
import { evolution, latestSnapshots, recordDirectoryHistory, recordSnapshot } from './evolution';
import { statsCoreStrings as s } from './strings';
import { writeStatsWorkbook, type CallListSource, type WorkbookInput } from './workbook';

export interface StatsServiceOptions {
  db: Database;
  events: EventBus;
  jobs: JobRegistry;
  /** The directory client, for the activation history after a sync run. */
  client: () => Promise<DirectoryClient>;
  /** Brings the account projection of an establishment up to date (the accounts capability's). */
  fresh: (uai: string) => void | Promise<void>;
  now?: () => Date;
  log?: (message: string) => void;
}

const TARGET_KEY = 'stats.target';

export class StatsService {
  private readonly db: Database;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;
  private readonly recording = new Set<Promise<void>>();

  constructor(private readonly options: StatsServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? ((message) => console.warn(`[stats] ${message}`));
  }

  handlers(): Pick<Handlers, 'stats.summary' | 'stats.evolution' | 'stats.callList' | 'stats.exportXlsx' | 'stats.setTarget'> {
    return {
      'stats.summary': async ({ uai }, ctx) => this.summary(uai ?? null, uai ? [uai] : ctx.uais),
      'stats.evolution': ({ uai, from, to }, ctx) =>
        evolution(this.db, { uai: uai ?? null, uais: uai ? [uai] : ctx.uais, from, to, target: this.target() }),
      'stats.callList': async (input) => {
        await this.options.fresh(input.uai);
        return callListPage(this.db, input, this.asOf(input.uai));
      },
      'stats.exportXlsx': async (input, ctx) => {
        const uais = input.uai ? [input.uai] : [...ctx.uais];
        const result = await this.exportXlsx({ ...input, uais });
        ctx.audit({
          uai: input.uai,
          targetType: 'file',
          targetId: result.path,
          after: { establishments: uais, callListRows: result.callListRows, overwrite: input.overwrite === true, cancelled: result.cancelled },
        });
        return { path: result.path, cancelled: result.cancelled };
      },
      'stats.setTarget': ({ target }, ctx) => {
        this.db.transaction(() => {
          const before = this.target();
          this.db
            .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
            .run(TARGET_KEY, JSON.stringify(target));
          ctx.audit({ targetType: 'setting', targetId: TARGET_KEY, before: { target: before }, after: { target } });
        })();
        for (const uai of ctx.uais) this.options.events.emit('stats.changed', { uai });
        return { target };
      },
    };
  }

  /** The activation target (a fraction), 80 % unless set. */
  target(): number {
    const raw = this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(TARGET_KEY) as string | undefined;
    const value = raw === undefined ? NaN : Number(JSON.parse(raw));
    return Number.isFinite(value) && value > 0 && value <= 1 ? value : TARGET_DEFAULT;
  }

  /** The directory's date of an establishment's figures, this workstation's day before any snapshot. */
  private asOf(uai: string): string {
    return latestSnapshots(this.db, [uai]).get(uai)?.date ?? localDate(this.now());
  }

  async summary(uai: string | null, uais: readonly string[]): Promise<StatsSummary> {
    for (const u of uais) await this.options.fresh(u);
    return summarize(this.db, { uai, uais, asOf: latestSnapshots(this.db, uais), today: localDate(this.now()), target: this.target() });
  }

  private names(uais: readonly string[]): Map<string, string> {
    const stmt = this.db.prepare('SELECT name FROM establishments WHERE uai = ?').pluck();
    return new Map(uais.map((uai) => [uai, (stmt.get(uai) as string | undefined) ?? uai]));
  }

  /**
   * Everything the workbook shows but its chart's picture: the figures, the evolution, the call lists (read lazily), and
   * the chart as SVG. Refuses when there is nothing to show yet.
   */
  async prepareWorkbook(uai: string | undefined, uais: readonly string[]): Promise<{ input: Omit<WorkbookInput, 'chart'>; chartSvg: string; callListRows: number }> {
    const summary = await this.summary(uai ?? null, uais);
    if (summary.pupils.total + summary.guardians.total === 0) {
      throw new ApiError('NOT_FOUND', uai ? s.noData : s.noDataSeveral, { reason: 'no-data' });
    }
    const names = this.names(uais);
    const evo = evolution(this.db, { uai: uai ?? null, uais, target: summary.target });
    const callLists: CallListSource[] = uais.map((u) => {
      const asOf = this.asOf(u);
      const pupils = callListChunks(this.db, u, 'pupil', asOf);
      const families = callListChunks(this.db, u, 'family', asOf);
      return { uai: u, name: names.get(u) ?? u, pupils, families, contactsWithheld: pupils.contactsWithheld };
    });
    const scopeName = uai ? (names.get(uai) ?? uai) : s.workbook.several(uais.length);
    const title = s.chart.title(scopeName, evo.from, evo.to);
    return {
      input: { summary, evolution: evo, names, callLists, chartDescription: title, exportedAt: this.now() },
      chartSvg: evolutionChartSvg({ title, points: evo.points, target: summary.target }),
      callListRows: callLists.reduce((n, l) => n + l.pupils.total + l.families.total, 0),
    };
  }

  private async exportXlsx(input: {
    uai?: string;
    uais: string[];
    path: string;
    overwrite?: boolean;
    jobId?: string;
  }): Promise<{ path: string; cancelled: boolean; callListRows: number }> {
    const prepared = await this.prepareWorkbook(input.uai, input.uais);
    const label = s.job(input.uai ? (prepared.input.names.get(input.uai) ?? input.uai) : s.workbook.several(input.uais.length));
    const spec = { id: input.jobId, kind: 'statisticsExport' as const, uai: input.uai ?? input.uais[0] ?? '', label, total: prepared.callListRows };
    const written = await this.options.jobs.run(spec, (job) =>
      writeExportFile({ path: input.path, format: 'xlsx', overwrite: input.overwrite }, async (out) => {
        const chart = await svgToPng(prepared.chartSvg);
        if (job.cancelled) return { cancelled: true };
        return writeStatsWorkbook(
          out,
          { ...prepared.input, chart },
          { cancelled: () => job.cancelled, progress: (done, total) => job.progress(done, total) },
        );
      }),
    );
    return { ...written, callListRows: prepared.callListRows };
  }

  /**
   * After a successful sync run (registered by the core with directory.onRunFinished): the directory's history and a
   * snapshot of the figures dated with the directory's date. Unreachable history: no snapshot this time (its date is
   * unknown); a directory without history (404): the snapshot takes this workstation's date.
   */
  afterRun(uai: string, outcome: 'success' | 'error' | 'interrupted'): void {
    if (outcome !== 'success') return;
    const recording = this.record(uai)
      .catch((error: unknown) => this.log(`snapshot of ${uai} not recorded: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.recording.delete(recording));
    this.recording.add(recording);
  }

  /** Resolves once the snapshots under way are recorded (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  private async record(uai: string): Promise<void> {
    let history: ActivationHistory | null;
    try {
      history = await (await this.options.client()).activationHistory(uai);
    } catch (error) {
      this.log(`activation history of ${uai} not read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    await this.options.fresh(uai);
    const date = history?.today ?? history?.days.at(-1)?.date ?? localDate(this.now());
    this.db.transaction(() => {
      if (history) recordDirectoryHistory(this.db, uai, history);
      const f = establishmentFigures(this.db, uai, date);
      recordSnapshot(this.db, uai, {
        date,
        takenAt: this.now().toISOString(),
        figures: f.totals,
        expiredLetters: f.expiredLetters.pupil + f.expiredLetters.guardian,
      });
    })();
    this.options.events.emit('stats.changed', { uai });
  }
}
