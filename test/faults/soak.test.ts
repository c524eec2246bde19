import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, runs } from "../../src/index.js";
import { runtime } from "../../src/engine/runtime.js";
import { freePort } from "../../src/redis/redis-server-process.js";
import { serveApp, type Served } from "../support/http-helpers.js";
import { faultBusy, faultParent, faultTimer, faultToken } from "./fixtures/fault-tasks.js";
import { FaultHarness, statusCounts, until } from "./support/fault-harness.js";
import { ledgerTotals } from "./support/ledger.js";

const KILL_EVERY_MS = 2_500;
/** 2,000 runs arrive in waves, so the kills fall across the whole workload. */
const WAVES = 10;
const WAVE_EVERY_MS = 2_000;
let harness: FaultHarness;
let service: Served;

beforeAll(async () => {
  const port = await freePort();
  harness = await FaultHarness.start({
    redis: { appendfsync: "everysec" },
    workerArgs: ["--concurrency", "50", "--lock-duration", "10000", "--stalled-interval", "1000"],
    publicUrl: `http://127.0.0.1:${port}`,
  });
  service = await serveApp(createApp(), port);
  await Promise.all([harness.startWorker(), harness.startWorker(), harness.startWorker()]);
});
afterAll(async () => {
  await service.close();
  await harness.close();
});

/**
 * How many workers were killed, and the runs not yet COMPLETED, with what they wait on and how
 * Redis holds those waits (the run's hash and job state, each waited-on run's status and hash,
 * the pending wake-ups), for a failure message.
 */
async function describeUnfinished(ids: string[]): Promise<string> {
  const { client, keys } = runtime();
  const unfinished = (await Promise.all(ids.map((id) => runs.retrieve(id)))).filter((run) => run.status !== "COMPLETED");
  const described = await Promise.all(
    unfinished.slice(0, 10).map(async ({ id, taskIdentifier, status, queue, waitingOn, attemptCount }) => ({
      id,
      taskIdentifier,
      status,
      attemptCount,
      jobState: await runtime().queue(queue).getJobState(id),
      delayedUntil: await client.zscore(runtime().queue(queue).keys.delayed!, id),
      job: await client.hgetall(keys.job(queue, id)),
      hash: await client.hgetall(keys.run(id)),
      workerLines: harness.everyWorker.flatMap((worker) => worker.log.split("\n").filter((line) => line.includes(id))),
      waitingOn: await Promise.all(
        (waitingOn ?? []).map(async (wait) => ({
          ...wait,
          ...(wait.kind === "run"
            ? { status: (await runs.retrieve(wait.id).catch(() => undefined))?.status ?? "missing", hash: await client.hgetall(keys.run(wait.id)) }
            : {}),
        })),
      ),
    })),
  );
  return JSON.stringify({ killed: harness.killed.size, unfinished: described, pendingWakes: await client.zrange(keys.pendingWakes(), 0, -1, "WITHSCORES") });
}

describe("soak: a mixed workload while worker processes are killed at random", () => {
  it("completes all 2,000 runs, every step body once except those cut off by a kill", async () => {
    const started = Date.now();
    const ids: string[] = [];
    let done = false;
    let completions = 0;
    const partner = (async () => {
      while (!done) {
        const urls = await harness.takeAnnouncedUrls();
        const answers = await Promise.all(urls.map((url) => fetch(url, { method: "POST", body: JSON.stringify("from partner") })));
        for (const answer of answers) expect(answer.status).toBe(200);
        completions += answers.length;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const killer = (async () => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
        if (done) return;
        const victim = harness.workers[Math.floor(Math.random() * harness.workers.length)]!;
        await harness.killWorker(victim);
        await harness.startWorker();
      }
    })();

    for (let wave = 0; wave < WAVES; wave += 1) {
      const handles = [
        ...(await faultTimer.batchTrigger(Array.from({ length: 70 }, (_, i) => ({ payload: { seconds: 1 + (i % 4) } })))).runs,
        ...(await faultToken.batchTrigger(Array.from({ length: 50 }, () => ({ payload: {} })))).runs,
        ...(await faultParent.batchTrigger(Array.from({ length: 30 }, () => ({ payload: {} })))).runs,
        ...(await faultBusy.batchTrigger(Array.from({ length: 50 }, () => ({ payload: { steps: 8, stepMs: 100 } })))).runs,
      ];
      ids.push(...handles.map((run) => run.id));
      await new Promise((resolve) => setTimeout(resolve, WAVE_EVERY_MS));
    }
    try {
      // Done once every run completed and at least five workers were killed: restarting a worker
      // takes seconds on a loaded machine, so a fast workload can end before the fifth kill.
      await until(async () => (await statusCounts(ids)).COMPLETED === ids.length && harness.killed.size >= 5, 240_000, () => describeUnfinished(ids));
    } finally {
      done = true;
      await Promise.all([partner, killer]);
    }

    const outputs = new Map<string, unknown>();
    for (const id of ids) outputs.set(id, (await runs.retrieve(id)).output);
    for (const output of outputs.values()) expect([["slept"], ["from partner"], [[10, 20]], [8]]).toContainEqual([output]);
    expect([...outputs.values()].filter((output) => output === "from partner")).toHaveLength(500);

    const ledger = await harness.ledger();
    let cutOff = 0;
    for (const [runId, steps] of ledger) {
      for (const [name, bodies] of steps) {
        expect(bodies.at(-1)!.ended, `${runId} ${name} ended`).toBe(true);
        for (const earlier of bodies.slice(0, -1)) {
          expect(harness.killed.has(earlier.pid), `${runId} ${name} ran again though process ${earlier.pid} was not killed`).toBe(true);
          cutOff += 1;
        }
      }
    }
    const totals = ledgerTotals(ledger);
    expect(totals.runs).toBe(2_000 + 300 * 2);
    expect(harness.killed.size).toBeGreaterThanOrEqual(5);
    console.log(
      `soak: ${ids.length} runs (+${300 * 2} children) completed in ${Math.round((Date.now() - started) / 1000)} s; ` +
        `${harness.killed.size} workers killed; ${totals.steps} steps, ${totals.bodies} step bodies run, ${cutOff} of them cut off by a kill and run again; ` +
        `${completions} token callbacks over HTTP`,
    );
  }, 360_000);
});
