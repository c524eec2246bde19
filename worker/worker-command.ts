/**
 * `durabull worker <paths...>`: a worker process. Loads the task modules, starts a worker
 * and, on SIGTERM or SIGINT, stops taking runs and gives executing ones a grace period to
 * finish or park before it exits. A second signal exits at once.
 */
import { parseArgs } from "node:util";
import { disconnect, runtime } from "../src/engine/runtime.js";
import { createWorker } from "../src/engine/worker.js";
import { loadTasks } from "./load-tasks.js";

/** Usage text of the command. */
export const WORKER_USAGE = `Usage: durabull worker <task module or directory>... [options]

Options:
  --concurrency <n>        runs executing at once, per queue (default 10)
  --grace-period <ms>      time executing runs get to finish or park on shutdown (default 30000)
  --lock-duration <ms>     how long a run's claim lasts without renewal (default 30000)
  --stalled-interval <ms>  how often to recover runs of dead workers (default 30000)

Redis and the key prefix come from DURABULL_REDIS_URL and DURABULL_PREFIX.`;

function numberOption(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const value = values[name];
  if (value === undefined || typeof value === "boolean") return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number; got ${JSON.stringify(value)}`);
  return parsed;
}

/** Runs the worker command with `args` (after the word "worker"); resolves when it has shut down. */
export async function workerCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      concurrency: { type: "string" },
      "grace-period": { type: "string" },
      "lock-duration": { type: "string" },
      "stalled-interval": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(WORKER_USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const logger = runtime().settings.logger;
  const tasks = await loadTasks(positionals);
  const concurrency = numberOption(values, "concurrency");
  const lockDuration = numberOption(values, "lock-duration");
  const stalledInterval = numberOption(values, "stalled-interval");
  const worker = await createWorker({
    tasks,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(lockDuration !== undefined ? { lockDuration } : {}),
    ...(stalledInterval !== undefined ? { stalledInterval } : {}),
  });
  logger.info(`worker ${process.pid} started: ${tasks.length} tasks on queues ${worker.queues.join(", ")}`);
  const gracePeriodMs = numberOption(values, "grace-period") ?? 30_000;
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      process.once(signal, () => process.exit(130));
      logger.info(`worker ${process.pid}: ${signal}, finishing executing runs (up to ${gracePeriodMs} ms)`);
      void worker.close({ gracePeriodMs }).then(disconnect).then(resolve);
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  });
  logger.info(`worker ${process.pid} stopped`);
}
