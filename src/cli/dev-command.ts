/**
 * `durabull dev <task modules...>`: everything for local work in one process — a worker for the
 * tasks, the HTTP service and the dashboard — on the Redis `devRedis` finds or starts. `startDev`
 * is the same as a function, for scripts such as the demo.
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { loadTasks } from "../../worker/load-tasks.js";
import type { Logger } from "../config/logger.js";
import { TASK_DEFINITION, type HasTaskDefinition } from "../engine/task-definition.js";
import { configure, disconnect, runtime } from "../engine/runtime.js";
import { createWorker, type DurabullWorker } from "../engine/worker.js";
import { devRedis } from "./dev-redis.js";
import { devSecretKey } from "./dev-secret.js";
import { startHttpServer } from "./http-server.js";
import { shutdownSignal } from "./shutdown-signal.js";
import { wholeNumber } from "./whole-number.js";

/** Usage text of the command. */
export const DEV_USAGE = `Usage: durabull dev <task module or directory>... [options]

Runs a worker for the tasks, the HTTP service and the dashboard in one process.

Options:
  --port <n>          HTTP port (default: $PORT, else 3030)
  --redis-port <n>    port of the default Redis address 127.0.0.1:<n> (default 6379)
  --data-dir <path>   where a private Redis and the dev secret key live (default .durabull)
  --concurrency <n>   runs executing at once, per queue (default 10)

Redis: DURABULL_REDIS_URL if set; else whatever answers on the default address; else a private
redis-server (from the PATH) started there, with its data under the data directory.
The secret key (dashboard password): DURABULL_SECRET_KEY, else one kept in the data directory.`;

/** Options of `startDev`. */
export interface DevOptions {
  /** Task module files or directories. */
  modules: string[];
  port?: number;
  redisPort?: number;
  dataDir?: string;
  concurrency?: number;
  logger?: Logger;
}

/** A running dev session. */
export interface DevSession {
  tasks: HasTaskDefinition[];
  redisUrl: string;
  /** Whether dev started its own redis-server. */
  embeddedRedis: boolean;
  /** Base URL of the HTTP service, e.g. http://localhost:3030. */
  url: string;
  dashboardUrl: string;
  /** The dashboard's password (any user name). */
  secretKey: string;
  /** Stops the worker (letting executing runs finish or park), the server and a private Redis. */
  close(gracePeriodMs?: number): Promise<void>;
}

/** Starts worker, HTTP service and dashboard for the task modules. */
export async function startDev(options: DevOptions): Promise<DevSession> {
  const dataDir = resolve(options.dataDir ?? ".durabull");
  const port = options.port ?? 3030;
  const { secretKey } = await devSecretKey(dataDir);
  const bootLogger = options.logger ?? runtime().settings.logger;
  const redis = await devRedis({ dataDir, port: options.redisPort ?? 6379, logger: bootLogger });
  const url = `http://localhost:${port}`;
  configure({
    connection: redis.url,
    secretKey,
    publicUrl: process.env.DURABULL_PUBLIC_URL || url,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  let worker: DurabullWorker | undefined;
  try {
    const tasks = await loadTasks(options.modules);
    worker = await createWorker({ tasks, ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}) });
    const running = worker;
    const server = await startHttpServer({ port, hostname: "127.0.0.1", dashboard: true });
    return {
      tasks,
      redisUrl: redis.url,
      embeddedRedis: redis.embedded !== undefined,
      url,
      dashboardUrl: `${url}/dashboard`,
      secretKey,
      close: async (gracePeriodMs = 5_000) => {
        await running.close({ gracePeriodMs });
        await server.close();
        await disconnect();
        await redis.embedded?.stop();
      },
    };
  } catch (error) {
    await worker?.close({ gracePeriodMs: 0 });
    await disconnect();
    await redis.embedded?.stop();
    throw error;
  }
}

/** Runs the dev command with `args` (after the word "dev"); resolves when it has shut down. */
export async function devCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      "redis-port": { type: "string" },
      "data-dir": { type: "string" },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(DEV_USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const port = wholeNumber(values.port, "--port") ?? wholeNumber(process.env.PORT, "PORT");
  const redisPort = wholeNumber(values["redis-port"], "--redis-port");
  const concurrency = wholeNumber(values.concurrency, "--concurrency");
  const session = await startDev({
    modules: positionals,
    ...(port !== undefined ? { port } : {}),
    ...(redisPort !== undefined ? { redisPort } : {}),
    ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  });
  const logger = runtime().settings.logger;
  logger.info(devBanner(session));
  const signal = await shutdownSignal();
  logger.info(`durabull dev: ${signal}, stopping`);
  await session.close();
}

/** What dev prints once it is up: where everything is. */
export function devBanner(session: DevSession): string {
  return [
    `durabull dev is up: ${session.tasks.length} tasks (${session.tasks.map((task) => task[TASK_DEFINITION].id).join(", ")})`,
    `  Redis      ${session.redisUrl}${session.embeddedRedis ? " (private, started by durabull dev)" : ""}`,
    `  API        ${session.url}/api/v1`,
    `  Dashboard  ${session.dashboardUrl}  (any user name; password: ${session.secretKey})`,
  ].join("\n");
}
