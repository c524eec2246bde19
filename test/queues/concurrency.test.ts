import { afterEach, describe, expect, it } from "vitest";
import { limitedRun } from "../fixtures/limited-tasks.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";
import { WorkerProcess } from "../support/worker-process.js";

const env = useDurabull();
const started: WorkerProcess[] = [];
const key = (name: string) => `${env.prefix}:limited:${name}`;

afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.kill("SIGKILL")));
});

describe("a queue's concurrency limit", () => {
  it("holds across two worker processes, while parked runs do not use it up", async () => {
    for (let i = 0; i < 2; i += 1) {
      started.push(await WorkerProcess.start({ modules: ["test/fixtures/limited-tasks.ts"], url: env.url, prefix: env.prefix, args: ["--concurrency", "10"] }));
    }
    const { runs } = await limitedRun.batchTrigger(Array.from({ length: 12 }, () => ({ payload: undefined })));
    for (const { id } of runs) await waitForStatus(id, "COMPLETED", 40_000);
    const executingMax = Number(await env.redis.get(key("executing-max")));
    expect(executingMax).toBeGreaterThan(0);
    expect(executingMax).toBeLessThanOrEqual(2);
    expect(Number(await env.redis.get(key("in-flight-max")))).toBeGreaterThan(2);
    expect(await env.redis.mget(key("executing"), key("in-flight"))).toEqual(["0", "0"]);
  });
});
