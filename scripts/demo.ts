/**
 * `npm run demo`: starts `durabull dev` on examples/ (a private redis-server when no Redis is
 * running), triggers one run of each example, and prints what happens to them as it happens —
 * parks, wakes, progress, results. The refund waits for you: approve it on the dashboard or with
 * the CLI, as the demo says. It keeps running, dashboard and all, until Ctrl-C.
 *
 * Options as `durabull dev`: --port, --redis-port, --data-dir.
 */
import { parseArgs } from "node:util";
import { devBanner, startDev } from "../src/cli/dev-command.js";
import { shutdownSignal } from "../src/cli/shutdown-signal.js";
import { wholeNumber } from "../src/cli/whole-number.js";
import { describeWait } from "../src/engine/parked-progress.js";
import { runs, tasks, type RunDetails } from "../src/index.js";
import { articleApproval } from "../examples/input-stream-approval.js";

/** What the demo triggers: one run of each example, with short delays so it all happens in a minute. */
const DEMO_RUNS: { task: string; payload: unknown }[] = [
  { task: "render-video", payload: { videoId: "intro-video", renderDelayMs: 3_000 } },
  { task: "refund-approval", payload: { orderId: "order-1042", amountCents: 2_599, customer: { id: "cus_7", email: "ada@example.com" }, approvalTimeout: "1h" } },
  { task: "export-invoices", payload: { organizationId: "acme", invoiceCount: 120, pageSize: 20, pauseSeconds: 1 } },
  { task: "build-report", payload: { reportId: "weekly-47", sections: ["summary", "revenue", "churn", "signups"] } },
  { task: "publish-article", payload: { articleId: "durable-waits" } },
  { task: "welcome-sequence", payload: { email: "new-user@example.com", tipsAfterSeconds: 10 } },
];

/** When the demo's editor sends the article decision. */
const EDITOR_DELAY_MS = 6_000;
const POLL_MS = 500;

function log(task: string, message: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)}  ${task.padEnd(17)} ${message}`);
}

/** One line about a run's state, for printing when it changes. */
function describe(run: RunDetails): string {
  if (run.status === "WAITING" && run.waitingOn) {
    return `WAITING — parked, no worker held: waits for ${run.waitingOn.map(describeWait).join(", ")}`;
  }
  if (run.status === "COMPLETED") return `COMPLETED → ${JSON.stringify(run.output)}`;
  if (run.error) return `${run.status} — ${run.error.message}`;
  return run.status;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string" }, "redis-port": { type: "string" }, "data-dir": { type: "string" } } });
  const port = wholeNumber(values.port, "--port") ?? wholeNumber(process.env.PORT, "PORT");
  const redisPort = wholeNumber(values["redis-port"], "--redis-port");
  const session = await startDev({
    modules: ["examples"],
    ...(port !== undefined ? { port } : {}),
    ...(redisPort !== undefined ? { redisPort } : {}),
    ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
    logger: { info: () => undefined, warn: (message) => console.warn(`warn: ${message}`), error: (message) => console.error(`error: ${message}`) },
  });
  console.log(devBanner(session));
  console.log("\nTriggering one run of each example...\n");

  const watched = new Map<string, { task: string; seen: string; progress: string }>();
  for (const { task, payload } of DEMO_RUNS) {
    const { id } = await tasks.trigger(task, payload);
    watched.set(id, { task, seen: "", progress: "" });
    log(task, `triggered ${id}`);
  }
  const articleRun = [...watched].find(([, run]) => run.task === "publish-article")![0];
  const refundRun = [...watched].find(([, run]) => run.task === "refund-approval")![0];
  const editor = setTimeout(() => {
    log("publish-article", `an editor approves: articleApproval.send("${articleRun}", { approved: true, by: "editor" })`);
    void articleApproval.send(articleRun, { approved: true, by: "editor" });
  }, EDITOR_DELAY_MS);

  let announced = false;
  const poll = setInterval(() => {
    void Promise.all(
      [...watched].map(async ([id, state]) => {
        const run = await runs.retrieve(id);
        const line = describe(run);
        if (line !== state.seen) log(state.task, (state.seen = line));
        const progress = JSON.stringify(run.metadata);
        if (progress !== state.progress && progress !== "{}" && run.status !== "COMPLETED") log(state.task, `progress ${(state.progress = progress)}`);
        if (id === refundRun && !announced && run.status === "WAITING" && run.waitingOn?.[0]?.kind === "token") {
          announced = true;
          const tokenId = run.waitingOn[0].id;
          console.log(
            [
              "",
              "  The refund waits for a person. Approve it on the dashboard:",
              `    ${session.dashboardUrl}/waitpoints   (any user name; password ${session.secretKey})`,
              "  or from another terminal:",
              `    npm run durabull -- tokens complete ${tokenId} '{"approved":true}'`,
              "",
            ].join("\n"),
          );
        }
      }),
    ).catch((error: unknown) => console.error(`error: ${(error as Error).message}`));
  }, POLL_MS);

  console.log(`\nDashboard: ${session.dashboardUrl}  — Ctrl-C stops the demo.\n`);
  await shutdownSignal();
  clearInterval(poll);
  clearTimeout(editor);
  await session.close(1_000);
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
