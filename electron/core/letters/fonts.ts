/**
 * The fonts every letter embeds, from resources/fonts (DejaVu, Bitstream Vera licence: LICENSE-DejaVu.txt): a sans
 * serif with full French coverage (É, Œ, ï, ’, « ») and a monospace one whose 0/O and 1/l/I differ, for identifiants
 * and passwords. Embedded, so a letter prints the same on every machine, without a browser; read once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LETTER_FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
  monoBold: 'DejaVuSansMono-Bold.ttf',
} as const;

export type LetterFonts = Record<keyof typeof LETTER_FONT_FILES, Buffer>;

/**
 * The folder holding the fonts: the one given (the packaged desktop app passes its resources folder), else the
 * project's resources/fonts found from this file upwards (sources run by tsx, or the built out/main/).
 */
export function findFontsDir(given?: string): string {
  if (given) return given;
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'resources', 'fonts');
    if (existsSync(join(candidate, LETTER_FONT_FILES.regular))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('letter fonts not found (resources/fonts)');
}

const cache = new Map<string, LetterFonts>();

export function loadLetterFonts(dir: string): LetterFonts {
  let fonts = cache.get(dir);
  if (!fonts) {
    fonts = Object.fromEntries(Object.entries(LETTER_FONT_FILES).map(([key, file]) => [key, readFileSync(join(dir, file))])) as LetterFonts;
    cache.set(dir, fonts);
  }
  return fonts;
}
