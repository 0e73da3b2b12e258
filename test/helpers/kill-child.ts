/**
 * Crash tests: runs a child script of ours (under tsx) until it has printed `count` lines starting with `marker`, then
 * SIGKILLs it, as a power cut or a killed process would end it. A child that prints `done` finished before that.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { projectRoot } from './host-process';

export async function runAndKill(script: string, args: string[], marker: string, count: number): Promise<NodeJS.Signals | 'done' | 'exit'> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let seen = 0;
  let done = false;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'done') done = true;
    if (line.startsWith(marker) && ++seen >= count) {
      child.kill('SIGKILL');
      break;
    }
  }
  const signal = await exited;
  return done ? 'done' : (signal ?? 'exit');
}
