/**
 * A private redis-server child process on a free port: the test harness and the bench start
 * one per run, and stop, kill and restart it to simulate outages. It keeps its files in a
 * directory of its own (a new temporary one unless given), stays bound to loopback, and is
 * killed when the process that started it exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** How to start the server. */
export interface RedisServerOptions {
  /** Data directory. Default: a new temporary directory, removed by `close()`. */
  dir?: string;
  /** TCP port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** `appendfsync` for an append-only file; without it the server persists nothing. */
  appendfsync?: "always" | "everysec" | "no";
  /** More `redis-server` arguments, e.g. `["--maxmemory-policy", "allkeys-lru"]`. */
  args?: string[];
  /** The binary to run. Default: `redis-server` from the PATH. */
  binary?: string;
}

/** A running (or stopped, restartable) redis-server process. */
export class RedisServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly ownsDir: boolean,
    private readonly options: RedisServerOptions,
  ) {}

  /** Starts a server and resolves once it answers PING. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServerProcess> {
    const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "durabull-redis-")));
    const server = new RedisServerProcess(options.port ?? (await freePort()), dir, options.dir === undefined, options);
    await server.restart();
    return server;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the process is running. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** The running process's id (the bench reads its CPU time); undefined while stopped. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process again (same port, same directory) and waits until it answers. */
  async restart(): Promise<void> {
    if (this.child) throw new Error(`redis-server on port ${this.port} is already running`);
    const args = [
      "--port", String(this.port),
      "--bind", "127.0.0.1",
      "--dir", this.dir,
      "--save", "",
      "--daemonize", "no",
      "--maxmemory-policy", "noeviction",
      ...(this.options.appendfsync
        ? ["--appendonly", "yes", "--appendfsync", this.options.appendfsync]
        : ["--appendonly", "no"]),
      ...(this.options.args ?? []),
    ];
    const child = spawn(this.options.binary ?? "redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    const stopWithProcess = () => child.kill("SIGKILL");
    process.once("exit", stopWithProcess);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); });
    child.stderr?.on("data", (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once("exit", () => {
        process.off("exit", stopWithProcess);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (!this.child) throw new Error(`redis-server exited during start-up:\n${output}`);
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`redis-server did not answer on port ${this.port} within 10s:\n${output}`);
      }
      await Promise.race([sleep(20), spawnError]);
    }
  }

  /** Stops the server with SIGTERM and waits for it to exit. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  /** Kills the server (SIGKILL by default: no shutdown, no final save) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    await this.signal(signal);
  }

  /** Stops the server and removes its directory if it made it. */
  async close(): Promise<void> {
    await this.stop();
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    await this.exited;
  }
}

/** A TCP port on loopback that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}

/** Whether something on 127.0.0.1:`port` answers a Redis PING. */
export async function answersPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}
