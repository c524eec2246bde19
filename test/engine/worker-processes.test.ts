import { afterEach, describe, expect, it } from "vitest";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";
import { WorkerProcess } from "../support/worker-process.js";
import { crashThreeSteps, ledgerKey, slowThenWait } from "../fixtures/durability-tasks.js";

const env = useDurabull();
const MODULES = ["test/fixtures/durability-tasks.ts"];
const FAST_RECOVERY = ["--lock-duration", "2000", "--stalled-interval", "1000"];
const started: WorkerProcess[] = [];

async function startWorker(args: string[] = []): Promise<WorkerProcess> {
  const worker = await WorkerProcess.start({ modules: MODULES, url: env.url, prefix: env.prefix, args: [...FAST_RECOVERY, ...args] });
  started.push(worker);
  return worker;
}

async function executions(runId: string, name: string): Promise<number> {
  return Number((await env.redis.get(ledgerKey(env.prefix, runId, name))) ?? 0);
}

async function untilExecuted(runId: string, name: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await executions(runId, name)) === 0) {
    if (Date.now() > deadline) throw new Error(`step ${name} of ${runId} never started`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.kill("SIGKILL")));
});

describe("worker processes", () => {
  it("finishes a run on a new worker after the first is killed mid-step, without re-running earlier steps", async () => {
    const first = await startWorker();
    const { id } = await crashThreeSteps.trigger({ slowMs: 60_000 });
    await untilExecuted(id, "three");
    await first.kill("SIGKILL");
    expect((await waitForStatus(id, "EXECUTING")).status).toBe("EXECUTING");

    await startWorker();
    const done = await waitForStatus(id, "COMPLETED", 30_000);
    expect(done.output).toBe(6);
    expect(await executions(id, "one")).toBe(1);
    expect(await executions(id, "two")).toBe(1);
    expect(await executions(id, "three")).toBe(2);
  });

  it("on SIGTERM lets an executing run finish its step and park, then exits; a new worker resumes it", async () => {
    const first = await startWorker(["--grace-period", "20000"]);
    const { id } = await slowThenWait.trigger({ slowMs: 800, waitSeconds: 1 });
    await untilExecuted(id, "slow");
    expect(await first.kill("SIGTERM")).toBe(0);
    expect(first.log).toMatch(/SIGTERM, finishing executing runs/);
    expect((await waitForStatus(id, "WAITING")).status).toBe("WAITING");

    await startWorker();
    expect((await waitForStatus(id, "COMPLETED", 30_000)).output).toBe("done");
    expect(await executions(id, "slow")).toBe(1);
    expect(await executions(id, "after")).toBe(1);
  });

  it("when the grace period runs out, exits and leaves the run to another worker", async () => {
    const first = await startWorker(["--grace-period", "300"]);
    const { id } = await slowThenWait.trigger({ slowMs: 60_000, waitSeconds: 0 });
    await untilExecuted(id, "slow");
    const stoppedAt = Date.now();
    expect(await first.kill("SIGTERM")).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);

    await startWorker();
    expect((await waitForStatus(id, "COMPLETED", 30_000)).output).toBe("done");
    expect(await executions(id, "slow")).toBe(2);
    expect(await executions(id, "after")).toBe(1);
  });
});
