import { describe, expect, it } from "vitest";
import { createWorker, queues, task, wait } from "../../src/index.js";
import { encodePriority, PRIORITY_PERIOD_SECONDS, priorityPeriod } from "../../src/engine/priority.js";
import { PriorityShifter } from "../../src/engine/priority-shifter.js";
import { runtime } from "../../src/engine/runtime.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();
const order = (queue: string) => `${env.prefix}:order:${queue}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const record = task({
  id: "record-order",
  queue: "ordered",
  run: async ({ name }: { name: string }) => void (await env.redis.rpush(order("ordered"), name)),
});

const stream = task({
  id: "stream-run",
  queue: "streamed",
  run: async ({ name, enqueuedAt }: { name: string; enqueuedAt: number }) => void (await env.redis.rpush(order("streamed"), JSON.stringify({ name, enqueuedAt }))),
});

const child = task({
  id: "priority-child",
  queue: "children",
  run: async () => {
    await wait.for({ seconds: 1 });
    return "child";
  },
});
const parent = task({
  id: "priority-parent",
  run: async () => child.triggerAndWait().unwrap(),
});

describe("priority relative to enqueue time", () => {
  it("runs Y (priority 10) and Z (priority 1), enqueued two seconds after X, in the order Y, X, Z", async () => {
    await queues.pause("ordered");
    await record.trigger({ name: "X" });
    await sleep(2_000);
    await record.trigger({ name: "Y" }, { priority: 10 });
    await record.trigger({ name: "Z" }, { priority: 1 });
    const worker = await createWorker({ tasks: [record], concurrency: 1 });
    try {
      await queues.resume("ordered");
      await expect.poll(() => env.redis.llen(order("ordered")), { timeout: 10_000 }).toBe(3);
      expect(await env.redis.lrange(order("ordered"), 0, -1)).toEqual(["Y", "X", "Z"]);
    } finally {
      await worker.close();
    }
  });

  it("does not let a steady stream of priority-5 runs overtake a priority-0 run that has waited longer than five seconds", async () => {
    await queues.pause("streamed");
    const anchorAt = Date.now();
    await stream.trigger({ name: "anchor", enqueuedAt: anchorAt });
    const streamEnds = anchorAt + 8_000;
    let total = 1;
    for (let i = 0; Date.now() < streamEnds; i += 1, total += 1) {
      const enqueuedAt = Date.now();
      await stream.trigger({ name: `p5-${i}`, enqueuedAt }, { priority: 5 });
      await sleep(100);
    }
    const worker = await createWorker({ tasks: [stream], concurrency: 1 });
    try {
      await queues.resume("streamed");
      await expect.poll(() => env.redis.llen(order("streamed")), { timeout: 20_000 }).toBe(total);
      const ran = (await env.redis.lrange(order("streamed"), 0, -1)).map((entry) => JSON.parse(entry) as { name: string; enqueuedAt: number });
      const anchor = ran.findIndex((run) => run.name === "anchor");
      const before = ran.slice(0, anchor);
      const after = ran.slice(anchor + 1);
      expect(before.length).toBeGreaterThan(10);
      expect(after.length).toBeGreaterThan(10);
      for (const run of before) expect(run.enqueuedAt - 5_000).toBeLessThanOrEqual(anchorAt + 1_000);
      for (const run of after) expect(run.enqueuedAt - 5_000).toBeGreaterThanOrEqual(anchorAt - 1_000);
    } finally {
      await worker.close();
    }
  });

  it("gives every run a priority of at least 1, and a triggerAndWait child its parent's enqueue time", async () => {
    const worker = await createWorker({ tasks: [parent, child] });
    try {
      const { id } = await parent.trigger();
      const waiting = await waitForStatus(id, "WAITING");
      const childId = (waiting.waitingOn![0] as { id: string }).id;
      const [parentJob, childJob] = await Promise.all([runtime().queue("priority-parent").getJob(id), runtime().queue("children").getJob(childId)]);
      expect(parentJob!.priority).toBeGreaterThanOrEqual(1);
      expect(childJob!.priority).toBe(encodePriority(parentJob!.timestamp, 0, Date.now()));
      await waitForStatus(id, "COMPLETED");
    } finally {
      await worker.close();
    }
  });
});

describe("the priority grid over time", () => {
  it("shifts a queue's priorities at the period boundary, keeping their order and clamping the oldest to 1", async () => {
    const queueName = "boundary";
    const queue = runtime().queue(queueName);
    const boundary = (priorityPeriod(Date.now()) + 1) * PRIORITY_PERIOD_SECONDS * 1000;
    const before = boundary - 60_000;
    const day = 86_400_000;
    const old = [
      { name: "ancient", enqueuedAt: before - 20 * day, priority: 0 },
      { name: "older", enqueuedAt: before - 16 * day, priority: 0 },
      { name: "recent", enqueuedAt: before - 10_000, priority: 0 },
      { name: "urgent", enqueuedAt: before, priority: 3_600 },
    ];
    const shifter = new PriorityShifter(runtime(), queueName);
    expect(await shifter.shift(before)).toBe(0);
    for (const run of old) await queue.add(run.name, {}, { priority: encodePriority(run.enqueuedAt, run.priority, before) });
    const parked = await queue.add("parked", {}, { priority: encodePriority(before - 12 * day, 0, before), delay: 60_000 });
    const priorityOfParked = parked.priority;

    expect(await shifter.shift(boundary)).toBe(5);
    expect(await shifter.shift(boundary)).toBe(0);
    expect(Number(await env.redis.hget(`${queue.toKey("")}${parked.id}`, "priority"))).toBe(Math.max(1, priorityOfParked - PRIORITY_PERIOD_SECONDS));

    await queue.add("new", {}, { priority: encodePriority(boundary + 1_000, 0, boundary + 1_000) });
    const ordered = await queue.getJobs(["prioritized"], 0, -1, true);
    expect(ordered.map((job) => job.name)).toEqual(["ancient", "older", "urgent", "recent", "new"]);
    expect(ordered[0]!.priority).toBe(1);
  });
});
