import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs, wait } from "../../src/index.js";
import { faultBusy, faultTimer, faultToken } from "./fixtures/fault-tasks.js";
import { allCompleted, FaultHarness, queueCount, until } from "./support/fault-harness.js";

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start({
    redis: { appendfsync: "always" },
    workerArgs: ["--concurrency", "300", "--lock-duration", "10000", "--stalled-interval", "2000"],
  });
  await Promise.all([harness.startWorker(), harness.startWorker()]);
});
afterAll(() => harness.close());

describe("Redis killed with SIGKILL (appendfsync always) and restarted", () => {
  it("loses nothing: 500 parked and 50 executing runs all complete, tokens completed before the kill are honoured, no step repeats but the one executing", async () => {
    const tokenRuns = (await faultToken.batchTrigger(Array.from({ length: 250 }, () => ({ payload: {} })))).runs.map((run) => run.id);
    const timerRuns = (await faultTimer.batchTrigger(Array.from({ length: 250 }, () => ({ payload: { seconds: 10 } })))).runs.map((run) => run.id);
    const busyRuns = (await faultBusy.batchTrigger(Array.from({ length: 50 }, () => ({ payload: { steps: 1_000, stepMs: 100 } })))).runs.map((run) => run.id);
    const describe = async () =>
      `token waiting ${await queueCount("fault-token", "waiting")}, timer waiting ${await queueCount("fault-timer", "waiting")}, busy executing ${await queueCount("fault-busy", "executing")}`;
    await until(
      async () => (await queueCount("fault-token", "waiting")) === 250 && (await queueCount("fault-timer", "waiting")) === 250 && (await queueCount("fault-busy", "executing")) === 50,
      60_000,
      describe,
    );

    const tokenOf = new Map<string, string>();
    for (const id of tokenRuns) {
      const waitingOn = (await runs.retrieve(id)).waitingOn?.[0];
      tokenOf.set(id, (waitingOn as { id: string }).id);
    }
    const before = tokenRuns.slice(0, 125);
    for (const [i, id] of before.entries()) expect((await wait.completeToken(tokenOf.get(id)!, `before-${i}`)).completed).toBe(true);

    const killedAt = Date.now();
    await harness.server.kill("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await harness.server.restart();

    const after = tokenRuns.slice(125);
    for (const [i, id] of after.entries()) expect((await wait.completeToken(tokenOf.get(id)!, `after-${i}`)).completed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await harness.release();

    const all = [...tokenRuns, ...timerRuns, ...busyRuns];
    await allCompleted(all, 90_000);
    for (const [i, id] of before.entries()) expect((await runs.retrieve(id)).output).toBe(`before-${i}`);
    for (const [i, id] of after.entries()) expect((await runs.retrieve(id)).output).toBe(`after-${i}`);

    const ledger = await harness.ledger();
    let repeated = 0;
    for (const id of all) {
      const steps = ledger.get(id)!;
      const repeats = [...steps].filter(([, bodies]) => bodies.length > 1);
      expect(repeats.length, `run ${id} repeated ${repeats.map(([name]) => name).join(", ")}`).toBeLessThanOrEqual(1);
      for (const [name, bodies] of repeats) {
        expect(bodies.length, `${id} ${name}`).toBe(2);
        expect(bodies[0]!.startedAt, `${id} ${name} first ran before the kill`).toBeLessThan(killedAt);
        repeated += 1;
      }
      for (const bodies of steps.values()) expect(bodies.at(-1)!.ended).toBe(true);
    }
    console.log(`redis kill: ${all.length} runs completed, ${repeated} steps repeated (each one executing at the kill)`);
  }, 180_000);
});
