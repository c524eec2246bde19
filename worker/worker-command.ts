/**
 * `durabull worker <paths...>`: a worker process. Loads the task modules, starts a worker
 * and, on SIGTERM or SIGINT, stops taking runs and gives executing ones a grace period to
 * finish or park before it exits. A second signal exits at once.
 */
import { parseArgs } from "node:util";
import { disconnect, runtime } from "../src/engine/runtime.js";
import { createWorker } from "../src/engine/worker.js";
import { shutdownSignal } from "../src/cli/shutdown-signal.js";
import { wholeNumber } from "../src/cli/whole-number.js";
import { loadTasks } from "./load-tasks.js";

/** Usage text of the command. */
export const WORKER_USAGE = `Usage: durabull worker <task module or directory>... [options]

Options:
  --concurrency <n>        runs executing at once, per queue (default 10)
  --grace-period <ms>      time executing runs get to finish or park on shutdown (default 30000)
  --lock-duration <ms>     how long a run's claim lasts without renewal (default 30000)
  --stalled-interval <ms>  how often to recover runs of dead workers (default 30000)

Redis and the key prefix come from DURABULL_REDIS_URL and DURABULL_PREFIX.`;

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
  const concurrency = wholeNumber(values.concurrency, "--concurrency");
  const lockDuration = wholeNumber(values["lock-duration"], "--lock-duration");
  const stalledInterval = wholeNumber(values["stalled-interval"], "--stalled-interval");
  const worker = await createWorker({
    tasks,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(lockDuration !== undefined ? { lockDuration } : {}),
    ...(stalledInterval !== undefined ? { stalledInterval } : {}),
  });
  logger.info(`worker ${process.pid} started: ${tasks.length} tasks on queues ${worker.queues.join(", ")}`);
  const gracePeriodMs = wholeNumber(values["grace-period"], "--grace-period") ?? 30_000;
  const signal = await shutdownSignal();
  logger.info(`worker ${process.pid}: ${signal}, finishing executing runs (up to ${gracePeriodMs} ms)`);
  await worker.close({ gracePeriodMs });
  await disconnect();
  logger.info(`worker ${process.pid} stopped`);
}
