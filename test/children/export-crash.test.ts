import { afterEach, describe, expect, it, vi } from "vitest";
import { runs } from "../../src/index.js";
import { exportInvoices, exportLedger } from "../fixtures/export-tasks.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";
import { WorkerProcess } from "../support/worker-process.js";

const env = useDurabull();
const started: WorkerProcess[] = [];

async function startWorker(): Promise<WorkerProcess> {
  const worker = await WorkerProcess.start({
    modules: ["test/fixtures/export-tasks.ts"],
    url: env.url,
    prefix: env.prefix,
    args: ["--lock-duration", "2000", "--stalled-interval", "1000"],
  });
  started.push(worker);
  return worker;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.kill("SIGKILL")));
});

describe("the paginated export", () => {
  it("survives its worker being killed mid-export: every page written once, one email", async () => {
    const first = await startWorker();
    const { id } = await exportInvoices.trigger({ organizationId: "org-7", totalPages: 5 });
    await vi.waitFor(
      async () => {
        const run = await runs.retrieve(id);
        const written = await env.redis.hget(exportLedger(env.prefix, "org-7"), "page:2");
        if (written !== "1" || run.status !== "WAITING" || run.waitingOn?.[0]?.kind !== "duration") throw new Error("not between pages 2 and 3 yet");
      },
      { timeout: 20_000, interval: 20 },
    );
    await first.kill("SIGKILL");

    await startWorker();
    expect((await waitForStatus(id, "COMPLETED", 40_000)).output).toEqual({ pages: 5 });
    await vi.waitFor(async () => {
      if ((await env.redis.hget(exportLedger(env.prefix, "org-7"), "emails")) !== "1") throw new Error("no email yet");
    }, { timeout: 20_000, interval: 50 });
    expect(await env.redis.hgetall(exportLedger(env.prefix, "org-7"))).toEqual({
      "page:1": "1",
      "page:2": "1",
      "page:3": "1",
      "page:4": "1",
      "page:5": "1",
      emails: "1",
    });
  });
});
