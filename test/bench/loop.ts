/** Event-loop delay of the bench's own (main) thread while some work runs. */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
  /** 99th percentile and maximum of the delays, in ms. With a 10 ms resolution a sample is the timer's interval, so an idle loop shows 10 ms. */
  p99: number;
  max: number;
}

/** Runs `work` with the event loop watched (10 ms resolution, as earlier measurements were taken). */
export async function watchLoop<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; loop: LoopDelay }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    histogram.disable();
    return { result, ms, loop: { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 } };
  } finally {
    histogram.disable();
  }
}

/** The goals of issue 14, for every long job: p99 < 50 ms and max < 150 ms. */
export const LOOP_GOAL = { p99: 50, max: 150 };
