/**
 * `durabull serve [task modules...]`: the HTTP service (and, at /dashboard, the dashboard) on one
 * port. Task modules given are loaded so that triggers over HTTP check payloads against their
 * schemas before anything is written. On SIGTERM or SIGINT it stops accepting connections,
 * lets requests under way finish, and exits.
 */
import { parseArgs } from "node:util";
import { loadTasks } from "../../worker/load-tasks.js";
import { disconnect, runtime } from "../engine/runtime.js";
import { startHttpServer } from "./http-server.js";
import { shutdownSignal } from "./shutdown-signal.js";
import { wholeNumber } from "./whole-number.js";

/** Usage text of the command. */
export const SERVE_USAGE = `Usage: durabull serve [task module or directory]... [options]

Options:
  --port <n>        port to listen on (default: $PORT, else 3030)
  --hostname <h>    address to listen on (default 0.0.0.0)
  --body-limit <n>  largest request body in bytes (default 1048576)
  --no-dashboard    do not serve the dashboard at /dashboard

Redis, the key prefix, the secret key and the public URL come from DURABULL_REDIS_URL,
DURABULL_PREFIX, DURABULL_SECRET_KEY and DURABULL_PUBLIC_URL.`;

/** Runs the serve command with `args` (after the word "serve"); resolves when it has shut down. */
export async function serveCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      hostname: { type: "string" },
      "body-limit": { type: "string" },
      "no-dashboard": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(SERVE_USAGE);
    return;
  }
  if (positionals.length > 0) await loadTasks(positionals);
  const port = wholeNumber(values.port, "--port") ?? wholeNumber(process.env.PORT, "PORT") ?? 3030;
  const bodyLimit = wholeNumber(values["body-limit"], "--body-limit");
  const logger = runtime().settings.logger;
  const server = await startHttpServer({
    port,
    hostname: values.hostname ?? "0.0.0.0",
    dashboard: !values["no-dashboard"],
    ...(bodyLimit !== undefined ? { bodyLimit } : {}),
  });
  logger.info(`durabull serving on port ${port}${values["no-dashboard"] ? "" : " (dashboard at /dashboard)"}`);
  const signal = await shutdownSignal();
  logger.info(`serve ${process.pid}: ${signal}, finishing requests under way`);
  await server.close();
  await disconnect();
  logger.info(`serve ${process.pid} stopped`);
}
