import { readToken } from './token';
import { SseParser } from './sse';

type Listener = (payload: unknown) => void;

const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * The browser host's event stream: one shared `GET /api/events` connection for every subscriber, opened with the
 * first subscription and closed with the last. EventSource cannot send an Authorization header, hence fetch.
 * A dropped connection is retried with growing, jittered delays; events sent while disconnected are lost, which
 * is acceptable for progress and notices (the state itself is always re-read through methods).
 */
class HttpEventStream {
  private readonly listeners = new Map<string, Set<Listener>>();
  private controller: AbortController | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;

  subscribe(event: string, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    this.ensureConnected();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(event);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  private ensureConnected(): void {
    if (this.controller || this.retryTimer) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller).finally(() => {
      if (this.controller === controller) this.controller = null;
      if (!controller.signal.aborted && this.listeners.size > 0) this.scheduleRetry();
    });
  }

  private disconnect(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failures = 0;
  }

  private scheduleRetry(): void {
    const ceiling = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.failures);
    this.failures += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.listeners.size > 0) this.ensureConnected();
    }, delay);
  }

  private async run(controller: AbortController): Promise<void> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    try {
      const token = await readToken();
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetch('/api/events', { headers, signal: controller.signal, cache: 'no-store' });
      if (!response.ok || !response.body) return;
      this.failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const message of parser.push(value)) this.dispatch(message.event, message.data);
      }
    } catch {
      // Network failure or abort: the caller decides whether to retry.
    }
  }

  private dispatch(event: string, data: string): void {
    const set = this.listeners.get(event);
    if (!set) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`Event listener for ${event} failed`, error);
      }
    }
  }
}

export const httpEvents = new HttpEventStream();
