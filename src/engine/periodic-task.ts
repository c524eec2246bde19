/**
 * A piece of background work that runs every interval, one run at a time, on a timer that does
 * not keep the process alive; `stop()` waits for a run under way.
 */

/** Runs `work` every `intervalMs` until stopped; a failed run is reported and the next one goes ahead. */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Starts the timer. */
  start(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.work()
        .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))))
        .finally(() => this.start());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
