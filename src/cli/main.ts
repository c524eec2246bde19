#!/usr/bin/env node
/**
 * The `durabull` command: dispatches to its subcommands.
 */
import { workerCommand } from "../../worker/worker-command.js";
import { devCommand } from "./dev-command.js";
import { queuesCommand } from "./queues-command.js";
import { runsCommand } from "./runs-command.js";
import { serveCommand } from "./serve-command.js";
import { tokensCommand } from "./tokens-command.js";

const USAGE = `Usage: durabull <command> [options]

Commands:
  dev <task modules...>      worker, HTTP service and dashboard in one process, for local work
                             (starts a private redis-server when none is running)
  worker <task modules...>   run a worker for the tasks those modules export
  serve [task modules...]    serve the HTTP API and the dashboard (at /dashboard)
  queues list|pause|resume   list queues with their counts; pause or resume one or all
  tokens list|complete|timeout
                             list waitpoint tokens; complete one or force its timeout
  runs list|get|cancel       list runs; show or cancel one

Run "durabull <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case "dev":
      return devCommand(args);
    case "worker":
      return workerCommand(args);
    case "serve":
      return serveCommand(args);
    case "queues":
      return queuesCommand(args);
    case "tokens":
      return tokensCommand(args);
    case "runs":
      return runsCommand(args);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
