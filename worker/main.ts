/**
 * The worker process entry: `node worker/main.js <task modules...> [options]`, the same as
 * `durabull worker`. It exits once the worker has shut down, whatever handles the task
 * modules left open.
 */
import { workerCommand } from "./worker-command.js";

workerCommand(process.argv.slice(2)).then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
