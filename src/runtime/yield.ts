/** Lets the event loop run what is waiting (I/O, timers) before a long job goes on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
