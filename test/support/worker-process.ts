/**
 * A durabull worker as a child process (`worker/main.ts` through tsx), for tests that kill
 * workers with SIGKILL or stop them with SIGTERM. Its output is kept for failure messages.
 */
import { ScriptProcess } from "./script-process.js";

/** How to start a worker process. */
export interface WorkerProcessOptions {
  /** Task modules, relative to the project root. */
  modules: string[];
  url: string;
  prefix: string;
  /** Extra `durabull worker` options, e.g. `["--lock-duration", "1000"]`. */
  args?: string[];
  env?: Record<string, string>;
}

/** A running worker process. */
export class WorkerProcess extends ScriptProcess {
  /** Starts a worker and resolves once it reports that it started. */
  static async start(options: WorkerProcessOptions): Promise<WorkerProcess> {
    const env = { ...process.env, DURABULL_REDIS_URL: options.url, DURABULL_PREFIX: options.prefix, ...options.env };
    const worker = new WorkerProcess("worker/main.ts", [...options.modules, ...(options.args ?? [])], env);
    await worker.waitForOutput(/worker \d+ started/, 30_000);
    return worker;
  }
}
