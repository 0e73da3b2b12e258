/**
 * When to sync: once at start, every N minutes, and on demand; and whether the directory is reachable. A run that
 * cannot reach the directory turns the state offline; while offline a cheap probe runs every `probeMs`, and the
 * first answer turns it back online and runs at once (outbox first, then the sync).
 */

export interface ScheduledRunResult {
  /** The directory could not be reached at all during the run. */
  unreachable: boolean;
}

export interface SchedulerOptions<R extends ScheduledRunResult> {
  run: () => Promise<R>;
  /** Resolves true when the directory answers. */
  probe: () => Promise<boolean>;
  intervalMs: () => number;
  probeMs?: number;
  onOnlineChange?: (online: boolean) => void;
  log?: (message: string) => void;
}

export class SyncScheduler<R extends ScheduledRunResult> {
  private timer: NodeJS.Timeout | null = null;
  private active = false;
  private current: Promise<R> | null = null;
  private onlineValue: boolean | null = null;
  private nextAt: Date | null = null;
  private readonly probeMs: number;

  constructor(private readonly options: SchedulerOptions<R>) {
    this.probeMs = options.probeMs ?? 30_000;
  }

  get online(): boolean | null {
    return this.onlineValue;
  }

  get nextRunAt(): Date | null {
    return this.nextAt;
  }

  get running(): boolean {
    return this.active;
  }

  /** Resolves when no run is going (for shutdown and tests). */
  async whenIdle(): Promise<void> {
    while (this.current) await this.current.catch(() => undefined);
  }

  /** Starts the schedule with a run now (not awaited: its outcome shows in the sync status). */
  start(): void {
    if (this.active) return;
    this.active = true;
    void this.runNow().catch((error: unknown) => this.options.log?.(`scheduled run failed: ${String(error)}`));
  }

  stop(): void {
    this.active = false;
    this.clear();
  }

  /** A run now; while one is going, callers share it. Reschedules the next one from its end. */
  runNow(): Promise<R> {
    this.current ??= (async () => {
      this.clear();
      try {
        const result = await this.options.run();
        this.setOnline(!result.unreachable);
        return result;
      } finally {
        this.current = null;
        this.schedule();
      }
    })();
    return this.current;
  }

  /** Tells the scheduler what another call learnt about reachability (e.g. a failed sign-in request). */
  noteReachability(reachable: boolean): void {
    const wasOffline = this.onlineValue === false;
    this.setOnline(reachable);
    if (reachable && wasOffline && this.active && !this.current) void this.runNow().catch(() => undefined);
    else if (!reachable && this.active && !this.current) this.schedule();
  }

  private setOnline(online: boolean): void {
    if (this.onlineValue === online) return;
    this.onlineValue = online;
    this.options.onOnlineChange?.(online);
  }

  private schedule(): void {
    this.clear();
    if (!this.active) return;
    const offline = this.onlineValue === false;
    const delay = offline ? this.probeMs : this.options.intervalMs();
    this.nextAt = new Date(Date.now() + delay);
    this.timer = setTimeout(() => void this.tick(offline), delay);
    this.timer.unref();
  }

  private async tick(probeFirst: boolean): Promise<void> {
    this.timer = null;
    if (!this.active) return;
    if (probeFirst) {
      const reachable = await this.options.probe().catch(() => false);
      if (!reachable) {
        this.schedule();
        return;
      }
      this.setOnline(true);
    }
    await this.runNow().catch((error: unknown) => this.options.log?.(`scheduled run failed: ${String(error)}`));
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
  }
}
