/**
 * CPU time per thread (Linux only: /proc): where a bench's time goes when several threads and processes share the
 * cores. Elsewhere every reading is null and the bench leaves the figures out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** utime + stime of one /proc stat file, in ms (clock ticks are 10 ms on Linux). */
function cpuMs(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms of every thread of this process (by thread id), and of another process. */
export function threadCpu(): Map<number, number> | null {
  if (!existsSync('/proc/self/task')) return null;
  return new Map(readdirSync('/proc/self/task').map((tid) => [Number(tid), cpuMs(`/proc/self/task/${tid}/stat`)]));
}

export function processCpu(pid: number | undefined): number | null {
  return pid !== undefined && existsSync(`/proc/${pid}/stat`) ? cpuMs(`/proc/${pid}/stat`) : null;
}

/**
 * The CPU this process's threads spent between two readings: the main thread, the `busiest` other threads together
 * (the write worker and its page reader, in the sync bench) and all the others (garbage collector helpers, libuv
 * pool, tsx's loader).
 */
export function splitCpu(before: Map<number, number>, after: Map<number, number>, busiest: number): { main: number; busiest: number; others: number } {
  const spent = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const);
  const main = spent.find(([tid]) => tid === process.pid)?.[1] ?? 0;
  const rest = spent.filter(([tid]) => tid !== process.pid).map(([, ms]) => ms).sort((a, b) => b - a);
  const sum = (list: number[]) => list.reduce((total, ms) => total + ms, 0);
  return { main, busiest: sum(rest.slice(0, busiest)), others: sum(rest.slice(busiest)) };
}
