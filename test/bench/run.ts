/**
 * `npm run bench [suite…]`: runs the benchmark suites, prints one table and writes JSON under bench-results/.
 * Targets are measured against a raw baseline in the same run; nothing here is asserted by the test suite.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { report, type Measurement, type Suite } from './harness';
import { foundation } from './suites/foundation';
import { sync } from './suites/sync';
import { accounts } from './suites/accounts';
import { review } from './suites/review';
import { reviewKeyboard } from './suites/review-keyboard';

const suites: Suite[] = [foundation, sync, review, reviewKeyboard, accounts];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  if (!existsSync('out/renderer/index.html')) {
    spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  }
  const results: Measurement[] = [];
  for (const suite of suites) {
    if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
    process.stderr.write(`bench: ${suite.name}…\n`);
    results.push(...(await suite.run()));
  }
  const file = report(results);
  process.stderr.write(`bench: written ${file}\n`);
}

void main();
