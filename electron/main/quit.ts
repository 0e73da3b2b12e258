/**
 * A clean quit: the first `before-quit` is held back while the core shuts down (the running sync stops after its
 * current page, whose transaction commits; the embedded demo directory stops; the database closes), then the app
 * quits for real. A core that takes longer than the time limit is closed at once instead: SQLite's WAL keeps every
 * committed transaction, and an interrupted sync resumes from its last cursor at the next start.
 *
 * Written against the few members of `app` it uses, so it is tested with a plain event emitter.
 */

export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export interface GracefulQuitOptions {
  /** Stops the core and everything wired to it; awaited before the app quits. */
  shutdown: () => Promise<void>;
  /** The last resort when `shutdown` fails or overruns: closes what is still open, synchronously. */
  forceClose: () => void;
  timeLimitMs: number;
  log?: Pick<Console, 'warn' | 'error'>;
}

/** Long enough for a sync page to commit and the demo directory to stop; short enough for a user waiting on it. */
export const QUIT_TIME_LIMIT_MS = 8_000;

export function installGracefulQuit(app: QuittingApp, options: GracefulQuitOptions): void {
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    void stopWithin(options).finally(() => {
      phase = 'stopped';
      app.quit();
    });
  });
}

async function stopWithin({ shutdown, forceClose, timeLimitMs, log = console }: GracefulQuitOptions): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overrun = new Promise<'overrun'>((resolve) => {
    timer = setTimeout(() => resolve('overrun'), timeLimitMs);
  });
  let outcome: 'done' | 'overrun' | 'failed';
  try {
    outcome = await Promise.race([shutdown().then(() => 'done' as const), overrun]);
  } catch (error) {
    log.error('[main] core shutdown failed:', error);
    outcome = 'failed';
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'done') return;
  if (outcome === 'overrun') log.warn(`[main] core shutdown took more than ${timeLimitMs} ms: closing it now`);
  try {
    forceClose();
  } catch (error) {
    log.error('[main] could not close the core:', error);
  }
}
