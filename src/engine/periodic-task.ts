/**
 * Background work that runs every interval, one run at a time, on a timer that does not keep the
 * process alive; `stop()` waits for a run under way. The sweepers and the priority shifter extend
 * it.
 */
import type { Logger } from "../config/logger.js";
import { isRedisUnavailable } from "../redis/redis-errors.js";

/**
 * Runs `tick()` every interval until stopped; a failed run is logged (unless Redis was away: the
 * connection logs that once) and the next one goes ahead.
 */
export abstract class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    protected readonly intervalMs: number,
    private readonly describe: string,
    private readonly logger: Logger,
  ) {}

  /** One run of the work. */
  protected abstract tick(): Promise<unknown>;

  /** Starts running every interval. */
  start(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => {
          if (!isRedisUnavailable(error)) this.logger.warn(`${this.describe} failed: ${error instanceof Error ? error.message : String(error)}`);
        })
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
