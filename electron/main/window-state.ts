/**
 * The window opens where the user left it, at the size they left it, maximised if it was — but always on a screen
 * that is still there: bounds saved on a monitor since unplugged, or a resolution since lowered, are brought back
 * into a visible display's work area (the screen minus the task bar). The rules are pure functions of the saved
 * state and the displays; the file is a small JSON in Electron's profile folder.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The window's bounds when neither maximised nor full screen. */
  bounds: Rect;
  maximized: boolean;
}

/** Where the window opens: without x and y, centred by Electron on the primary display. */
export interface Placement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const WINDOW_STATE_FILE = 'window-state.json';

const Coordinate = z.number().int().min(-100_000).max(100_000);
const Size = z.number().int().min(1).max(100_000);
const SavedState = z.object({
  bounds: z.object({ x: Coordinate, y: Coordinate, width: Size, height: Size }),
  maximized: z.boolean(),
});

/** The saved state, or null when the text is not one (missing, hand-edited, from another version). */
export function parseWindowState(text: string): WindowState | null {
  try {
    const parsed = SavedState.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const overlap = (a: Rect, b: Rect): number => {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
};

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * Where to open the window, given the saved state (null the first time) and the work areas of the connected displays,
 * the primary one first. The window goes on the display it overlaps most, shrunk to fit and moved fully inside its
 * work area; when it overlaps none (that monitor is gone), it is centred on the primary display.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[]): Placement {
  const primary = workAreas[0];
  const size = saved?.bounds ?? DEFAULT_WINDOW_SIZE;
  const maximized = saved?.maximized ?? false;
  if (!primary) return { width: size.width, height: size.height, maximized };

  let target: Rect | undefined;
  let best = 0;
  if (saved) {
    for (const area of workAreas) {
      const visible = overlap(saved.bounds, area);
      if (visible > best) [target, best] = [area, visible];
    }
  }
  const area = target ?? primary;
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  if (!saved) return { width, height, maximized };
  if (!target) {
    return {
      x: area.x + Math.round((area.width - width) / 2),
      y: area.y + Math.round((area.height - height) / 2),
      width,
      height,
      maximized,
    };
  }
  return {
    x: clamp(saved.bounds.x, area.x, area.x + area.width - width),
    y: clamp(saved.bounds.y, area.y, area.y + area.height - height),
    width,
    height,
    maximized,
  };
}

export function readWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Written whole or not at all (temp file, then rename), so a crash never leaves half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
  renameSync(temp, file);
}
