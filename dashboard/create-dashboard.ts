/**
 * The dashboard: Bull Board on Hono, showing every durabull queue of the configured prefix —
 * queues that appear after start-up included, picked up from the queue registry as requests
 * come in — beside durabull's own pages (waitpoints, run journal). It sits behind HTTP basic
 * auth whose password is the secret key. Bull Board's routes that would break durabull's runs
 * (changing a job's priority, adding a job by hand) answer 403.
 */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import type { Job, Queue } from "bullmq";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { basicAuth } from "hono/basic-auth";
import { parkedSummary, showParked } from "../src/engine/parked-progress.js";
import { sameSecret } from "../src/engine/token-credentials.js";
import { ConfigurationError } from "../src/errors/configuration-error.js";
import { runtime, type Runtime } from "../src/engine/runtime.js";
import { operatorPages } from "./operator-pages.js";
import { href, type PageContext } from "./views/layout.js";

/** Options of `createDashboard`. */
export interface DashboardOptions {
  /** The path the app is mounted at, e.g. "/dashboard" (Bull Board links its pages and assets under it). Default "/". */
  basePath?: string;
  /** How often to look for new queues, in ms. Default 1000. */
  queueRefreshMs?: number;
}

/**
 * Bull Board routes an operator may not use on durabull queues: changing a job's priority would
 * break the priority grid (engine/priority.ts), and a job added by hand has no run record and
 * could carry priority 0, ahead of every run.
 */
const GUARDED_ROUTES: [string, string][] = [
  ["PATCH", "/api/queues/:queueName/:jobId/priority"],
  ["POST", "/api/queues/:queueName/add"],
];

/**
 * Bull Board's adapter for a durabull queue: a parked run's progress gains the entry saying what
 * it waits on and until when (read from its record), and its name says the same; each job links
 * to its run view with the journal.
 */
class RunQueueAdapter extends BullMQAdapter {
  constructor(
    private readonly durabull: Runtime,
    private readonly runQueue: Queue,
    page: PageContext,
  ) {
    super(runQueue, { externalJobUrl: (job) => ({ displayText: "Run and journal", href: href(page, `/runs/${encodeURIComponent(String(job.id))}`) }) });
    this.setFormatter("name", (job: { name: string; progress: unknown }) => {
      const parked = parkedSummary(job.progress);
      return parked ? `${job.name} — ${parked}` : job.name;
    });
  }

  override async getJob(id: string): Promise<Job | undefined> {
    const job = await super.getJob(id);
    if (job) await showParked(this.durabull, this.runQueue, [job]);
    return job;
  }

  override async getJobs(...args: Parameters<BullMQAdapter["getJobs"]>): Promise<Job[]> {
    const jobs = await super.getJobs(...args);
    await showParked(this.durabull, this.runQueue, jobs);
    return jobs;
  }
}

/**
 * A Hono app serving Bull Board for durabull's queues. Log in with any user name and the
 * secret key (`DURABULL_SECRET_KEY`) as password.
 *
 * @example
 * app.route("/dashboard", createDashboard({ basePath: "/dashboard" }));
 */
export function createDashboard(options: DashboardOptions = {}): Hono {
  const durabull = runtime();
  const { settings, keys, client } = durabull;
  const secretKey = settings.secretKey;
  if (!secretKey) {
    throw new ConfigurationError("The dashboard needs a secret key (configure({ secretKey }) or DURABULL_SECRET_KEY): it is its login password.");
  }
  const basePath = options.basePath ?? "/";
  const refreshMs = options.queueRefreshMs ?? 1_000;
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(basePath);
  const page = { basePath };
  const board = createBullBoard({
    queues: [],
    serverAdapter,
    options: { uiConfig: { boardTitle: "durabull", miscLinks: [{ text: "Waitpoints", url: href(page, "/waitpoints") }] } },
  });
  const shown = new Set<string>();
  let refreshedAt = 0;

  const app = new Hono();
  app.use("*", basicAuth({ realm: "durabull", verifyUser: (_user, password) => sameSecret(password, secretKey) }));
  app.on(GUARDED_ROUTES.map(([method]) => method), GUARDED_ROUTES.map(([, path]) => path), (context) =>
    context.json({ error: { code: "FORBIDDEN", message: "durabull sets run priorities and makes jobs itself; Bull Board may not." } }, 403),
  );
  app.use("*", async (_context, next) => {
    if (Date.now() - refreshedAt >= refreshMs) {
      refreshedAt = Date.now();
      for (const queue of (await client.smembers(keys.queueRegistry())).sort()) {
        if (shown.has(queue)) continue;
        shown.add(queue);
        board.addQueue(new RunQueueAdapter(durabull, durabull.queue(queue), page));
      }
    }
    await next();
  });
  app.route("/", operatorPages(page));
  app.route("/", serverAdapter.registerPlugin());
  return app;
}
