import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runtime } from "../../src/engine/runtime.js";
import { createWorker, RunFinishedError, RunNotFoundError, runs, step, streams, task, wait, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull({ secretKey: "streams-secret-0123456789abcdef" });

const approval = streams.input<{ approved: boolean; reviewer: string }>({ id: "approval" });
const messages = streams.input<string>({ id: "messages" });

const publish = task({
  id: "publish-post",
  run: async (payload: { postId: string }) => {
    await step.run("prepare", () => `draft ${payload.postId}`);
    const result = await approval.wait({ timeout: "7d", tags: [`post:${payload.postId}`] }).unwrap();
    return result.approved ? { published: true, reviewer: result.reviewer } : { published: false };
  },
});

const collector = task({
  id: "collector",
  run: async (payload: { count: number; gateSeconds: number }) => {
    await wait.for({ seconds: payload.gateSeconds });
    const received: string[] = [];
    for (let i = 0; i < payload.count; i += 1) received.push(await messages.wait({ timeout: "1m" }).unwrap());
    return received;
  },
});

const impatient = task({
  id: "impatient",
  run: async () => {
    const result = await messages.wait({ timeout: "1s" });
    return result.ok ? "got one" : `timed out: ${result.error.code}`;
  },
});

describe("input streams", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [publish, collector, impatient], concurrency: 10 });
  });
  afterAll(() => worker.close());

  it("parks on .wait() until .send() from outside resumes it with the value", async () => {
    const { id } = await publish.trigger({ postId: "p1" });
    const waiting = await waitForStatus(id, "WAITING");
    expect(waiting.waitingOn).toMatchObject([{ kind: "token", stream: "approval" }]);
    await approval.send(id, { approved: true, reviewer: "alice" });
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual({ published: true, reviewer: "alice" });
    const [token] = await wait.listTokens({ tags: "post:p1" });
    expect(token).toMatchObject({ status: "COMPLETED", output: { approved: true, reviewer: "alice" } });
  });

  it("keeps values sent before the run waits, and hands them out in order, each once", async () => {
    const { id } = await collector.trigger({ count: 4, gateSeconds: 1 });
    expect((await waitForStatus(id, "WAITING")).waitingOn).toMatchObject([{ kind: "duration" }]);
    for (const text of ["one", "two", "three"]) await messages.send(id, text);
    await vi.waitFor(
      async () => {
        const run = await runs.retrieve(id);
        if (run.status !== "WAITING" || run.waitingOn?.[0]?.kind !== "token") throw new Error(`run is ${run.status}, not parked on the stream`);
      },
      { timeout: 20_000, interval: 20 },
    );
    await messages.send(id, "four");
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual(["one", "two", "three", "four"]);
    expect(await env.redis.llen(runtime().keys.stream(id, "messages"))).toBe(0);
  });

  it("ends a wait with ok false when nothing is sent before its timeout", async () => {
    const { id } = await impatient.trigger();
    expect((await waitForStatus(id, "COMPLETED")).output).toBe("timed out: WAITPOINT_TIMEOUT");
  });

  it("refuses sends to runs that do not exist or have finished", async () => {
    await expect(messages.send("run_00000000000000000000000000", "x")).rejects.toBeInstanceOf(RunNotFoundError);
    const { id } = await impatient.trigger();
    await waitForStatus(id, "COMPLETED");
    await expect(messages.send(id, "too late")).rejects.toBeInstanceOf(RunFinishedError);
    expect(() => streams.input({ id: "no spaces" })).toThrow(/stream id must be/);
  });
});
