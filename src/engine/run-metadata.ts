/**
 * A run's metadata during one execution: live progress (`metadata.set`, `increment`, ...),
 * written to the run's record (read by `runs.retrieve`) and to its BullMQ job's progress (shown by
 * Bull Board). The run's code runs again on every replay, so each execution rebuilds the metadata
 * from what the run was triggered with, and nothing is written while the code replays what earlier
 * executions did — readers never see the progress go back. Writes follow changes by a few
 * milliseconds, and the executor waits for the last one whenever an execution ends.
 */
import { Job } from "bullmq";
import { ConfigurationError } from "../errors/configuration-error.js";
import { toJsonValue } from "./json-value.js";
import type { Runtime } from "./runtime.js";

/** The largest metadata a run may hold, as JSON. */
export const MAX_METADATA_BYTES = 64 * 1024;
const WRITE_DELAY_MS = 20;

/** The metadata of one executing run. */
export class RunMetadata {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  /** The write under way, if any. */
  private writing: Promise<void> | undefined;

  /**
   * @param values the metadata the execution starts from (as triggered), taken over and changed
   *   in place: the record read for this execution hands over its own copy
   */
  constructor(
    private readonly runtime: Runtime,
    private readonly run: { id: string; queue: string },
    private readonly values: Record<string, unknown>,
    private readonly replaying: () => boolean,
  ) {}

  /** A copy of the current metadata. */
  current(): Record<string, unknown> {
    return structuredClone(this.values);
  }

  /** Changes the metadata (synchronously) and schedules the write. */
  change(describe: string, apply: (values: Record<string, unknown>) => void): void {
    const before = structuredClone(this.values);
    apply(this.values);
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(this.values));
    } catch (error) {
      this.restore(before);
      throw new ConfigurationError(`${describe}: metadata must be JSON-serialisable (${(error as Error).message}).`);
    }
    if (size > MAX_METADATA_BYTES) {
      this.restore(before);
      throw new ConfigurationError(`${describe}: metadata would be ${size} bytes; at most ${MAX_METADATA_BYTES} are kept.`);
    }
    this.dirty = true;
    this.schedule();
  }

  /** Schedules a write of pending changes, unless the run is still replaying. */
  schedule(): void {
    if (!this.dirty || this.timer || this.replaying()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((error: unknown) =>
        this.runtime.settings.logger.warn(`run ${this.run.id}: writing metadata failed: ${(error as Error).message}`),
      );
    }, WRITE_DELAY_MS);
  }

  /** Whether changes are waiting to be written or being written: `flush` has something to do. */
  get unsaved(): boolean {
    return this.dirty || this.writing !== undefined;
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing?.catch(() => undefined);
    if (!this.dirty) return;
    this.dirty = false;
    const values = toJsonValue(this.values) as Record<string, unknown>;
    const writing = Promise.all([
      this.runtime.client.hset(this.runtime.keys.run(this.run.id), "metadata", JSON.stringify(values)),
      this.job().updateProgress(values),
    ]).then(
      () => undefined,
      (error: unknown) => {
        this.dirty = true;
        throw error;
      },
    );
    this.writing = writing;
    try {
      await writing;
    } finally {
      if (this.writing === writing) this.writing = undefined;
    }
  }

  /** A handle on the run's BullMQ job, for progress updates. */
  private job(): Job {
    return new Job(this.runtime.queue(this.run.queue), "", undefined, {}, this.run.id);
  }

  private restore(before: Record<string, unknown>): void {
    for (const key of Object.keys(this.values)) delete this.values[key];
    Object.assign(this.values, before);
  }
}
