/**
 * The fault suite's harness: durabull on a private redis-server the test may kill and restart,
 * worker processes running the fault tasks (which the test may kill too), and the ledger on the
 * shared test Redis, which no fault touches.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { configure, disconnect, queues, runs, type RunStatus } from "../../../src/index.js";
import { RedisServerProcess, type RedisServerOptions } from "../../../src/redis/redis-server-process.js";
import { deleteKeys, MemoryLogger } from "../../support/durabull-test-env.js";
import { WorkerProcess } from "../../support/worker-process.js";
import { readLedger, type Ledger } from "./ledger.js";

export const SECRET = "fault-suite-secret-0123456789ab";
const FAULT_TASKS = "test/faults/fixtures/fault-tasks.ts";

/** The pieces of one fault test. */
export class FaultHarness {
  readonly prefix = `f${randomBytes(4).toString("hex")}`;
  readonly ledgerPrefix = `${this.prefix}-ledger`;
  readonly logger = new MemoryLogger();
  readonly ledgerRedis: Redis;
  readonly workers: WorkerProcess[] = [];
  /** Every worker started, killed ones included, for failure messages. */
  readonly everyWorker: WorkerProcess[] = [];
  /** Process ids of workers killed with SIGKILL. */
  readonly killed = new Set<number>();

  private constructor(
    readonly server: RedisServerProcess,
    private readonly workerArgs: string[],
    private readonly publicUrl: string | undefined,
  ) {
    this.ledgerRedis = new Redis(inject("redisUrl"));
  }

  /** Starts the private Redis and points durabull (in this process) at it. */
  static async start(options: { redis?: RedisServerOptions; workerArgs?: string[]; publicUrl?: string } = {}): Promise<FaultHarness> {
    const server = await RedisServerProcess.start(options.redis);
    const harness = new FaultHarness(server, options.workerArgs ?? [], options.publicUrl);
    configure({ connection: server.url, prefix: harness.prefix, secretKey: SECRET, logger: harness.logger, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) });
    return harness;
  }

  /** Starts a worker process running the fault tasks. */
  async startWorker(): Promise<WorkerProcess> {
    const worker = await WorkerProcess.start({
      modules: [FAULT_TASKS],
      url: this.server.url,
      prefix: this.prefix,
      args: this.workerArgs,
      env: {
        FAULT_LEDGER_URL: inject("redisUrl"),
        FAULT_LEDGER_PREFIX: this.ledgerPrefix,
        DURABULL_SECRET_KEY: SECRET,
        ...(this.publicUrl ? { DURABULL_PUBLIC_URL: this.publicUrl } : {}),
      },
    });
    this.workers.push(worker);
    this.everyWorker.push(worker);
    return worker;
  }

  /** Kills a worker process with SIGKILL, remembering its pid. */
  async killWorker(worker: WorkerProcess): Promise<void> {
    this.killed.add(worker.pid);
    await worker.kill("SIGKILL");
    this.workers.splice(this.workers.indexOf(worker), 1);
  }

  /** Lets the busy runs finish. */
  release(): Promise<unknown> {
    return this.ledgerRedis.set(`${this.ledgerPrefix}:release`, "1");
  }

  /** Callback URLs of tokens announced by runs, taken once each. */
  async takeAnnouncedUrls(): Promise<string[]> {
    const urls = await this.ledgerRedis.lpop(`${this.ledgerPrefix}:partner`, 1_000);
    return urls ?? [];
  }

  ledger(): Promise<Ledger> {
    return readLedger(this.ledgerRedis, this.ledgerPrefix);
  }

  /** Stops everything and removes the ledger. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.kill("SIGTERM")));
    await disconnect();
    await this.server.close();
    await deleteKeys(this.ledgerRedis, `${this.ledgerPrefix}:*`);
    await this.ledgerRedis.quit();
  }
}

/** Polls until `check` holds, failing with what `describe` says after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, describe: () => Promise<string> | string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The statuses of `ids`, counted. */
export async function statusCounts(ids: string[]): Promise<Partial<Record<RunStatus, number>>> {
  const counts: Partial<Record<RunStatus, number>> = {};
  for (let i = 0; i < ids.length; i += 100) {
    const statuses = await Promise.all(ids.slice(i, i + 100).map(async (id) => (await runs.retrieve(id)).status));
    for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** Waits until every run in `ids` is COMPLETED. */
export async function allCompleted(ids: string[], timeoutMs: number): Promise<void> {
  await until(async () => (await statusCounts(ids)).COMPLETED === ids.length, timeoutMs, async () => JSON.stringify(await statusCounts(ids)));
}

/** The number of runs of `queue` in a state. */
export async function queueCount(queue: string, state: "waiting" | "executing" | "queued"): Promise<number> {
  return (await queues.retrieve(queue)).counts[state];
}
