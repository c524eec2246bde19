/**
 * A durabull worker as a child process (`worker/main.ts` through tsx), for tests that kill
 * workers with SIGKILL or stop them with SIGTERM. Its output is kept for failure messages.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

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
export class WorkerProcess {
  private output = "";
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** Starts a worker and resolves once it reports that it started. */
  static async start(options: WorkerProcessOptions): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts", ...options.modules, ...(options.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, DURABULL_REDIS_URL: options.url, DURABULL_PREFIX: options.prefix, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const worker = new WorkerProcess(child);
    await worker.waitForOutput(/worker \d+ started/, 30_000);
    return worker;
  }

  /** The process id. */
  get pid(): number {
    return this.child.pid!;
  }

  /** The exit code once exited (null if killed by a signal), or null while it runs. */
  get exitCodeOrNull(): number | null {
    return this.child.exitCode;
  }

  /** Everything the process printed so far. */
  get log(): string {
    return this.output;
  }

  /** Resolves once the output matches `pattern`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`worker exited (${this.child.exitCode}) before printing ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`worker did not print ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Sends a signal and waits for the process to exit. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
