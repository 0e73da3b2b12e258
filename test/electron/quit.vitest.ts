/**
 * The clean quit (electron/main/quit.ts), driven through a plain event emitter standing for Electron's `app` (only its
 * `before-quit` event and `quit()` are used; no Electron runtime runs here), then with a real core on a real SQLite
 * file: the quit waits for core.shutdown(), which closes the database.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../electron/core';
import { installGracefulQuit, type QuittingApp } from '../../electron/main/quit';
import { tempDir } from '../helpers/temp';

class FakeApp extends EventEmitter implements QuittingApp {
  quits = 0;
  prevented = 0;
  /** What Electron does on app.quit(): emit before-quit, and really quit unless a listener prevented it. */
  quit(): void {
    this.quits += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) this.prevented += 1;
    else this.emit('quit');
  }
}

const log = { warn: vi.fn(), error: vi.fn() };

describe('installGracefulQuit', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    log.warn.mockClear();
    log.error.mockClear();
  });
  afterEach(() => vi.useRealTimers());

  it('holds the quit until the core has shut down, once, then quits for real', async () => {
    const app = new FakeApp();
    const quitted = vi.fn();
    app.on('quit', quitted);
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const forceClose = vi.fn();
    installGracefulQuit(app, { shutdown, forceClose, timeLimitMs: 8_000, log });

    app.quit();
    app.quit(); // a second Ctrl+Q while shutting down
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(app.prevented).toBe(2);
    expect(quitted).not.toHaveBeenCalled();

    finish();
    await vi.runAllTimersAsync();
    expect(quitted).toHaveBeenCalledTimes(1);
    expect(app.quits).toBe(3);
    expect(forceClose).not.toHaveBeenCalled();
  });

  it('closes the core at once and quits when the shutdown overruns the time limit', async () => {
    const app = new FakeApp();
    const quitted = vi.fn();
    app.on('quit', quitted);
    const forceClose = vi.fn();
    installGracefulQuit(app, { shutdown: () => new Promise<void>(() => undefined), forceClose, timeLimitMs: 8_000, log });

    app.quit();
    await vi.advanceTimersByTimeAsync(7_999);
    expect(quitted).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(forceClose).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('more than 8000 ms'));
    expect(quitted).toHaveBeenCalledTimes(1);
  });

  it('still quits when the shutdown fails, after closing what is left', async () => {
    const app = new FakeApp();
    const quitted = vi.fn();
    app.on('quit', quitted);
    const forceClose = vi.fn(() => {
      throw new Error('already closed');
    });
    installGracefulQuit(app, { shutdown: () => Promise.reject(new Error('boom')), forceClose, timeLimitMs: 8_000, log });

    app.quit();
    await vi.runAllTimersAsync();
    expect(log.error).toHaveBeenCalledWith('[main] core shutdown failed:', expect.any(Error));
    expect(forceClose).toHaveBeenCalledTimes(1);
    expect(quitted).toHaveBeenCalledTimes(1);
  });
});

describe('quitting with a real core', () => {
  it('waits for core.shutdown(): the database is closed before the app quits', async () => {
    const data = tempDir('ecd-quit-');
    const core = createCore({ dataDir: join(data.path, 'data'), directory: 'http://127.0.0.1:9', appVersion: '0', host: 'electron' });
    try {
      const app = new FakeApp();
      const openAtQuit: boolean[] = [];
      app.on('quit', () => openAtQuit.push(core.db.open));
      installGracefulQuit(app, { shutdown: () => core.shutdown(), forceClose: () => core.close(), timeLimitMs: 8_000 });
      app.quit();
      await vi.waitFor(() => expect(openAtQuit).toEqual([false]));
    } finally {
      if (core.db.open) core.close();
      data.remove();
    }
  });
});
