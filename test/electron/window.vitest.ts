/**
 * The main window: its security settings as data (window-options.ts), where it opens (window-state.ts, pure), and the
 * glue that makes it (window.ts). The glue runs with `electron` replaced by a test double standing for the Electron
 * runtime, which cannot run here: a BrowserWindow class that records its options and events, and a `screen` with
 * configurable displays. test/electron/app.spec.ts covers the real window where a binary is installed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mainWindowOptions, MIN_WINDOW_SIZE, SECURE_WEB_PREFERENCES } from '../../electron/main/window-options';
import {
  DEFAULT_WINDOW_SIZE,
  parseWindowState,
  placeWindow,
  readWindowState,
  writeWindowState,
  type Rect,
  type WindowState,
} from '../../electron/main/window-state';
import { tempDir } from '../helpers/temp';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => ({
  windows: [] as {
    options: Record<string, unknown>;
    listeners: Map<string, ((...args: unknown[]) => void)[]>;
    normalBounds: { x: number; y: number; width: number; height: number };
    maximized: boolean;
    shown: boolean;
  }[],
  displays: [] as { id: number; workArea: { x: number; y: number; width: number; height: number } }[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly record;
    readonly webContents = { once: () => undefined };
    constructor(options: Record<string, unknown>) {
      this.record = { options, listeners: new Map(), normalBounds: { x: 0, y: 0, width: 0, height: 0 }, maximized: false, shown: false };
      electron.windows.push(this.record);
    }
    on(event: string, listener: Listener) {
      this.record.listeners.set(event, [...(this.record.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    loadURL() {
      return Promise.resolve();
    }
    getNormalBounds() {
      return this.record.normalBounds;
    }
    isMaximized() {
      return this.record.maximized;
    }
    maximize() {
      this.record.maximized = true;
    }
    show() {
      this.record.shown = true;
    }
    isVisible() {
      return this.record.shown;
    }
    setTitle() {}
  }
  return {
    BrowserWindow,
    screen: {
      getPrimaryDisplay: () => electron.displays[0],
      getAllDisplays: () => electron.displays,
    },
  };
});

const { createMainWindow } = await import('../../electron/main/window');

const fire = (window: (typeof electron.windows)[number], event: string) => {
  for (const listener of window.listeners.get(event) ?? []) listener({ preventDefault: () => undefined });
};

const laptop: Rect = { x: 0, y: 0, width: 1366, height: 728 };
const fullHd: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const leftMonitor: Rect = { x: -1680, y: 0, width: 1680, height: 1010 };
const saved = (bounds: Rect, maximized = false): WindowState => ({ bounds, maximized });

describe('the window’s security settings (window-options.ts)', () => {
  it('are exactly Electron’s checklist, with the preload and no developer tools once packaged', () => {
    const options = mainWindowOptions({
      preloadPath: '/app/out/preload/index.cjs',
      placement: { width: 1280, height: 820, maximized: false },
      packaged: true,
      title: 'EduConnect Desk',
    });
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
    // Nothing that would loosen them: no extra Blink features, no command-line switches for the renderer.
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.webPreferences).not.toHaveProperty('additionalArguments');
    expect(options).toMatchObject({ show: false, minWidth: MIN_WINDOW_SIZE.width, minHeight: MIN_WINDOW_SIZE.height, title: 'EduConnect Desk' });
  });

  it('keep the developer tools in a development run only', () => {
    const dev = mainWindowOptions({ preloadPath: '/p', placement: { width: 1, height: 1, maximized: false }, packaged: false, title: 't' });
    expect(dev.webPreferences).toMatchObject({ ...SECURE_WEB_PREFERENCES, devTools: true });
  });

  it('place the window where it was saved, or let Electron centre it', () => {
    expect(mainWindowOptions({ preloadPath: '/p', placement: { x: 10, y: 20, width: 1000, height: 700, maximized: false }, packaged: true, title: 't' })).toMatchObject({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
    });
    const centred = mainWindowOptions({ preloadPath: '/p', placement: { width: 1000, height: 700, maximized: false }, packaged: true, title: 't' });
    expect(centred).not.toHaveProperty('x');
    expect(centred).not.toHaveProperty('y');
  });
});

describe('where the window opens (placeWindow)', () => {
  it('the first time: the default size, shrunk to a small screen, centred by Electron', () => {
    expect(placeWindow(null, [fullHd])).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
    expect(placeWindow(null, [laptop])).toEqual({ width: 1280, height: 728, maximized: false });
  });

  it('where it was left, when that is on a connected display', () => {
    expect(placeWindow(saved({ x: 100, y: 50, width: 1100, height: 700 }), [fullHd])).toEqual({ x: 100, y: 50, width: 1100, height: 700, maximized: false });
    // Left of the primary display: negative coordinates are fine while that monitor is there.
    expect(placeWindow(saved({ x: -1500, y: 100, width: 1200, height: 800 }), [fullHd, leftMonitor])).toMatchObject({ x: -1500, y: 100 });
    expect(placeWindow(saved({ x: 2000, y: 100, width: 1200, height: 800 }, true), [fullHd, rightMonitor])).toEqual({
      x: 2000,
      y: 100,
      width: 1200,
      height: 800,
      maximized: true,
    });
  });

  it('centred on the primary display when its monitor has been unplugged, keeping its size and maximised state', () => {
    expect(placeWindow(saved({ x: 2200, y: 100, width: 1200, height: 800 }, true), [fullHd])).toEqual({
      x: 360,
      y: 120,
      width: 1200,
      height: 800,
      maximized: true,
    });
  });

  it('moved fully inside the work area when partly off screen, and shrunk when bigger than it', () => {
    // Half past the right edge and under the task bar.
    expect(placeWindow(saved({ x: 1500, y: 600, width: 1000, height: 700 }), [fullHd])).toEqual({ x: 920, y: 340, width: 1000, height: 700, maximized: false });
    // Saved on a big monitor, opened on a laptop with a lower resolution.
    expect(placeWindow(saved({ x: 50, y: 40, width: 2400, height: 1300 }), [laptop])).toEqual({ x: 0, y: 0, width: 1366, height: 728, maximized: false });
  });

  it('on the display it overlaps most', () => {
    expect(placeWindow(saved({ x: 1800, y: 0, width: 1000, height: 700 }), [fullHd, rightMonitor])).toMatchObject({ x: 1920, y: 0 });
    expect(placeWindow(saved({ x: 1400, y: 0, width: 1000, height: 700 }), [fullHd, rightMonitor])).toMatchObject({ x: 920, y: 0 });
  });

  it('without any display information, at the saved size', () => {
    expect(placeWindow(saved({ x: 5, y: 5, width: 1000, height: 700 }), [])).toEqual({ width: 1000, height: 700, maximized: false });
  });
});

describe('the saved window state', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('ecd-window-');
  });
  afterEach(() => dir.remove());

  it('is read back as written, and ignored when missing or damaged', () => {
    const file = join(dir.path, 'window-state.json');
    expect(readWindowState(file)).toBeNull();
    writeWindowState(file, saved({ x: -200, y: 30, width: 1200, height: 800 }, true));
    expect(readWindowState(file)).toEqual(saved({ x: -200, y: 30, width: 1200, height: 800 }, true));
    expect(existsSync(`${file}.tmp`)).toBe(false);
    for (const text of ['', '{', 'null', '{"bounds":{"x":"a","y":0,"width":10,"height":10},"maximized":false}', '{"bounds":{"x":0,"y":0,"width":0,"height":10},"maximized":false}']) {
      expect(parseWindowState(text), text).toBeNull();
    }
    writeFileSync(file, 'pas du JSON');
    expect(readWindowState(file)).toBeNull();
  });
});

describe('createMainWindow (electron mocked)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('ecd-window-');
    electron.windows.length = 0;
    electron.displays = [{ id: 1, workArea: fullHd }];
  });
  afterEach(() => dir.remove());

  it('builds the window with exactly mainWindowOptions(), placed from the saved state', () => {
    const stateFile = join(dir.path, 'window-state.json');
    writeWindowState(stateFile, saved({ x: 2600, y: 200, width: 1000, height: 700 }));
    electron.displays = [{ id: 1, workArea: fullHd }, { id: 2, workArea: rightMonitor }];
    createMainWindow({ preloadPath: '/app/preload.cjs', startUrl: 'app://desk/index.html', stateFile, packaged: true });
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]!.options).toEqual(
      mainWindowOptions({
        preloadPath: '/app/preload.cjs',
        placement: { x: 2600, y: 200, width: 1000, height: 700, maximized: false },
        packaged: true,
        title: 'EduConnect Desk',
      }),
    );
  });

  it('reopens maximised when it was, and saves its normal bounds when it closes', () => {
    const stateFile = join(dir.path, 'window-state.json');
    writeWindowState(stateFile, saved({ x: 100, y: 100, width: 1000, height: 700 }, true));
    createMainWindow({ preloadPath: '/p', startUrl: 'app://desk/index.html', stateFile, packaged: false });
    const window = electron.windows[0]!;
    fire(window, 'ready-to-show');
    expect(window).toMatchObject({ maximized: true, shown: true });

    window.normalBounds = { x: 300, y: 200, width: 1100, height: 750 };
    window.maximized = false;
    fire(window, 'close');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual(saved({ x: 300, y: 200, width: 1100, height: 750 }));
  });
});
