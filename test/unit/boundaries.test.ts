import { ESLint } from 'eslint';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path));
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)];
  return found.map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('module boundaries (the app must run and be tested without the Electron binary)', () => {
  it.each(['electron/core', 'electron/host', 'electron/demo-directory', 'shared'])('%s never imports electron', (dir) => {
    for (const file of sourceFiles(dir)) {
      const bad = importsOf(file).filter((spec) => spec === 'electron' || spec.startsWith('electron/'));
      expect(bad, relative(root, file)).toEqual([]);
    }
  });

  it('shared/ imports no Node built-in (it runs in the renderer too)', () => {
    for (const file of sourceFiles('shared')) {
      expect(importsOf(file).filter((spec) => nodeBuiltins.has(spec)), relative(root, file)).toEqual([]);
    }
  });

  it('the renderer imports no Node built-in, no better-sqlite3, nothing from electron/', () => {
    const files = sourceFiles('renderer/src');
    for (const file of files) {
      const bad = importsOf(file).filter(
        (spec) => nodeBuiltins.has(spec) || spec === 'better-sqlite3' || spec === 'electron' || /(^|\/)electron(\/|$)/.test(spec),
      );
      expect(bad, relative(root, file)).toEqual([]);
    }
  });

  describe('the lint rule', () => {
    const eslint = new ESLint({ cwd: root });
    const lint = async (code: string, file: string) =>
      (await eslint.lintText(code, { filePath: join(root, file) }))[0]?.messages.filter((m) => m.ruleId === 'no-restricted-imports') ?? [];

    it('fails when core, host or shared import electron', async () => {
      for (const file of ['electron/core/x.ts', 'electron/host/x.ts', 'shared/x.ts', 'electron/demo-directory/x.ts']) {
        expect(await lint("import { app } from 'electron';\nexport const a = app;\n", file), file).toHaveLength(1);
      }
    });

    it('fails when the renderer imports Node built-ins, better-sqlite3 or electron/', async () => {
      for (const code of [
        "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
        "import path from 'path';\nexport const a = path;\n",
        "import Database from 'better-sqlite3';\nexport const a = Database;\n",
        "import { createCore } from '../../../electron/core';\nexport const a = createCore;\n",
      ]) {
        expect(await lint(code, 'renderer/src/x.ts'), code).toHaveLength(1);
      }
    });

    it('allows electron in main and preload, and shared/ in the renderer', async () => {
      expect(await lint("import { app } from 'electron';\nexport const a = app;\n", 'electron/main/x.ts')).toHaveLength(0);
      expect(await lint("import { contract } from '../../shared/api/contract';\nexport const a = contract;\n", 'renderer/src/x.ts')).toHaveLength(0);
    });
  });
});
