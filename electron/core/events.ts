import type { EventName, EventPayload } from '../../shared/api/contract';

export type AnyEventListener = (event: EventName, payload: unknown) => void;

/** Typed fan-out of core events to every connected window (SSE clients, Electron webContents). */
export class EventBus {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        console.error(`[events] a listener of ${event} failed:`, error);
      }
    }
  }

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
