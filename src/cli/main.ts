#!/usr/bin/env node
/**
 * The `durabull` command: dispatches to its subcommands.
 */
import { workerCommand } from "../../worker/worker-command.js";
import { serveCommand } from "./serve-command.js";

const USAGE = `Usage: durabull <command> [options]

Commands:
  worker <task modules...>   run a worker for the tasks those modules export
  serve [task modules...]    serve the HTTP API (and Bull Board at /dashboard)

Run "durabull <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case "worker":
      return workerCommand(args);
    case "serve":
      return serveCommand(args);
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
