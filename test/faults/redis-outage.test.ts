import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, RedisUnavailableError, runs, wait } from "../../src/index.js";
import { faultBusy, faultTimer, faultToken } from "./fixtures/fault-tasks.js";
import { allCompleted, FaultHarness, queueCount, SECRET, until } from "./support/fault-harness.js";
import type { WorkerProcess } from "../support/worker-process.js";

const OUTAGE_MS = 10_000;
let harness: FaultHarness;
let worker: WorkerProcess;
let app: Hono;

beforeAll(async () => {
  harness = await FaultHarness.start({ redis: { appendfsync: "everysec" }, workerArgs: ["--lock-duration", "8000", "--stalled-interval", "2000"] });
  worker = await harness.startWorker();
  app = createApp();
});
afterAll(() => harness.close());

const auth = { headers: { authorization: `Bearer ${SECRET}` } };

describe("Redis unreachable for ten seconds", () => {
  it("503s over HTTP and recovers; workers reconnect and carry on; triggers during the outage fail loudly, none silently dropped", async () => {
    const timerRuns = (await faultTimer.batchTrigger(Array.from({ length: 20 }, () => ({ payload: { seconds: 3 } })))).runs.map((run) => run.id);
    const tokenRuns = (await faultToken.batchTrigger(Array.from({ length: 10 }, () => ({ payload: {} })))).runs.map((run) => run.id);
    const busyRuns = (await faultBusy.batchTrigger(Array.from({ length: 5 }, () => ({ payload: { steps: 1_000, stepMs: 100 } })))).runs.map((run) => run.id);
    await until(
      async () => (await queueCount("fault-timer", "waiting")) === 20 && (await queueCount("fault-token", "waiting")) === 10 && (await queueCount("fault-busy", "executing")) === 5,
      30_000,
      () => "runs did not all park or start",
    );
    const tokens = await Promise.all(tokenRuns.map(async (id) => ((await runs.retrieve(id)).waitingOn![0] as { id: string }).id));

    await harness.server.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    await until(async () => (await app.request("/api/v1/health")).status === 503, 5_000, () => "health did not turn 503");
    const listed = await app.request("/api/v1/runs", auth);
    expect(listed.status).toBe(503);
    expect(await listed.json()).toMatchObject({ error: { code: "REDIS_UNAVAILABLE", message: expect.stringMatching(/Redis does not answer/) } });
    const completion = await app.request(`/api/v1/waitpoints/tokens/${tokens[0]}/complete`, { method: "POST", ...auth, body: JSON.stringify({ data: "during" }) });
    expect(completion.status).toBe(503);

    const triggerStarted = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        faultTimer.trigger({ seconds: 1 }, { tags: [`outage-${i}`] }).then(
          (handle) => ({ ok: true as const, id: handle.id }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      ),
    );
    const triggersTookMs = Date.now() - triggerStarted;
    await new Promise((resolve) => setTimeout(resolve, outageEnds - Date.now()));
    await harness.server.restart();

    await until(async () => (await app.request("/api/v1/health")).status === 200, 15_000, () => "health did not recover");
    for (const [i, tokenId] of tokens.entries()) expect((await wait.completeToken(tokenId, `after-${i}`)).completed).toBe(true);
    await harness.release();
    await allCompleted([...timerRuns, ...tokenRuns, ...busyRuns], 60_000);

    expect(triggersTookMs).toBeLessThan(2_000);
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.error).toBeInstanceOf(RedisUnavailableError);
      expect(!outcome.ok && (outcome.error as Error).message).toMatch(/Triggering a run of task "fault-timer" failed: Redis does not answer/);
      expect(await runs.list({ tag: `outage-${i}` })).toEqual([]);
    }
    expect(worker.exitCodeOrNull).toBeNull();
    expect(worker.log).toMatch(/Redis connection \(commands\) lost/);
    expect(worker.log).toMatch(/Redis connection \(commands\) back/);

    const ledger = await harness.ledger();
    for (const id of [...timerRuns, ...tokenRuns, ...busyRuns]) {
      const repeats = [...ledger.get(id)!].filter(([, bodies]) => bodies.length > 1);
      expect(repeats.length, `run ${id} repeated ${repeats.map(([name]) => name).join(", ")}`).toBeLessThanOrEqual(1);
      for (const [, bodies] of repeats) expect(bodies[0]!.startedAt).toBeLessThan(outageEnds);
    }
    console.log(`redis outage: ${outcomes.length} triggers made during it failed with RedisUnavailableError in ${triggersTookMs} ms`);
  }, 150_000);
});
