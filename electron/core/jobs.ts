/**
 * The one jobs facility: every long task registers here under an id (the renderer may choose it, so that it can
 * cancel before the first answer), reports its progress through the single `job.progress` event, and is stopped by
 * the single `jobs.cancel` method. A cancelled job stops after its current step and keeps what it already did.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { JobInfo, JobKind, JobState } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { ScopeResolver } from './dispatcher';
import type { EventBus } from './events';

const jobStrings = {
  running: 'Une tâche porte déjà cet identifiant : attendez sa fin ou choisissez-en un autre.',
};

export interface JobSpec {
  /** Chosen by the caller (the renderer, to cancel early); a random one otherwise. */
  id?: string;
  kind: JobKind;
  uai: string;
  /** What the job does, in French (shown beside its progress bar). */
  label: string;
  total?: number | null;
}

/** A running job as its work sees it. */
export class Job {
  readonly id: string;
  readonly kind: JobKind;
  readonly uai: string;
  readonly startedAt = new Date().toISOString();
  private labelText: string;
  private readonly controller = new AbortController();
  private doneCount = 0;
  private totalCount: number | null;
  private finished: JobState | null = null;

  constructor(
    spec: JobSpec,
    private readonly emit: (info: JobInfo) => void,
    private readonly release: (job: Job) => void,
  ) {
    this.id = spec.id ?? randomUUID();
    this.kind = spec.kind;
    this.uai = spec.uai;
    this.labelText = spec.label;
    this.totalCount = spec.total ?? null;
  }

  /** True once a cancel was asked for: the work stops at its next step. */
  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted on cancel: pass it to fetches and waits so that they stop at once. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(): void {
    if (!this.cancelled) this.controller.abort();
  }

  /** Reports progress (`total` once known) and lets the event loop breathe, so that a cancel request gets in. */
  async progress(done: number, total: number | null = this.totalCount, label = this.labelText): Promise<void> {
    this.progressNow(done, total, label);
    await yieldToEventLoop();
  }

  /** Reports progress without yielding: a step inside a synchronous transaction (the event still goes out). */
  progressNow(done: number, total: number | null = this.totalCount, label = this.labelText): void {
    this.doneCount = done;
    this.totalCount = total;
    this.labelText = label;
    this.emit(this.info('running'));
  }

  /** Ends the job: one last event saying how, and the id is free again. Idempotent. */
  end(state: Exclude<JobState, 'running'>): void {
    if (this.finished) return;
    this.finished = state;
    this.release(this);
    this.emit(this.info(state));
  }

  info(state: JobState = this.finished ?? 'running'): JobInfo {
    return {
      jobId: this.id,
      kind: this.kind,
      uai: this.uai,
      label: this.labelText,
      state,
      done: this.doneCount,
      total: this.totalCount,
      startedAt: this.startedAt,
      cancelRequested: this.cancelled,
    };
  }
}

export class JobRegistry {
  private readonly running = new Map<string, Job>();

  constructor(private readonly events: EventBus) {}

  /** Registers a job; refuses an id that is already running. End it with `job.end` (or use `run`). */
  start(spec: JobSpec): Job {
    if (spec.id !== undefined && this.running.has(spec.id)) throw new ApiError('CONFLICT', jobStrings.running, { jobId: spec.id });
    const job = new Job(
      spec,
      (info) => this.events.emit('job.progress', info),
      (done) => {
        if (this.running.get(done.id) === done) this.running.delete(done.id);
      },
    );
    this.running.set(job.id, job);
    this.events.emit('job.progress', job.info('running'));
    return job;
  }

  /** Runs `work` as a job: ended `done`, `cancelled` (when a cancel was asked) or `failed`, whatever happens. */
  async run<T>(spec: JobSpec, work: (job: Job) => Promise<T>): Promise<T> {
    const job = this.start(spec);
    try {
      const result = await work(job);
      job.end(job.cancelled ? 'cancelled' : 'done');
      return result;
    } catch (error) {
      job.end(job.cancelled ? 'cancelled' : 'failed');
      throw error;
    }
  }

  get(id: string): Job | undefined {
    return this.running.get(id);
  }

  cancel(id: string): boolean {
    const job = this.running.get(id);
    job?.cancel();
    return job !== undefined;
  }

  list(uais: readonly string[]): JobInfo[] {
    return [...this.running.values()].filter((j) => uais.includes(j.uai)).map((j) => j.info());
  }

  /** The dispatcher's lookup of a job's establishment (jobs.cancel is checked on it). */
  readonly resolve: ScopeResolver = (ids) =>
    new Map(ids.flatMap((id) => {
      const job = this.running.get(String(id));
      return job ? [[id, job.uai] as const] : [];
    }));

  /** Cancels every running job (shutdown). */
  cancelAll(): void {
    for (const job of this.running.values()) job.cancel();
  }
}
