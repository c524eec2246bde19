/**
 * Project scripts as child processes (`node --import tsx <script>` in the project root): the
 * worker, the `durabull` CLI, the demo. A long-running one keeps its output for assertions and
 * failure messages; a one-shot one answers its exit code and output.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The project root, where scripts run. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Starts `script` (relative to the project root) with `args`, in environment `env`. */
function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
}

/** A running script. */
export class ScriptProcess {
  private output = "";
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  /** Starts `script` (relative to the project root) with `args`; `env` is its whole environment. */
  constructor(
    private readonly script: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawnScript(script, args, env);
    const { child } = this;
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
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

  /** Resolves with the match once the output matches `pattern`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.output);
      if (match) return match;
      if (this.child.exitCode !== null) throw new Error(`${this.script} exited (${this.child.exitCode}) before printing ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.script} did not print ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Sends a signal and waits for the process to exit. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** What a one-shot script printed, and its exit code. */
export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with `args` to its end; `env` is its whole environment. */
export function runScriptToEnd(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawnScript(script, args, env);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
