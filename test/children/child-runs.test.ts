import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortTaskRunError, createWorker, idempotencyKeys, RunFailedError, step, task, wait, type DurabullWorker } from "../../src/index.js";
import { runtime } from "../../src/engine/runtime.js";
import { WAITED_OPTION } from "../../src/engine/trigger.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobOf, waitForStatus } from "../support/run-helpers.js";

const env = useDurabull({ secretKey: "children-secret-0123456789abcdef" });
const sends = (member: string) => `${env.prefix}:sent:${member}`;

const sendOne = task({
  id: "send-one",
  run: async ({ member }: { member: string }) => {
    await step.run("send", () => env.redis.incr(sends(member)));
    return `sent to ${member}`;
  },
});

const notifyMembers = task({
  id: "notify-members",
  retry: { maxAttempts: 2, minTimeoutInMs: 10, maxTimeoutInMs: 10 },
  run: async ({ members }: { members: string[] }, { ctx }) => {
    const outputs: string[] = [];
    for (const member of members) {
      if (member === members[2] && ctx.attempt.number === 1) throw new Error("transient blip at the third member");
      const key = await idempotencyKeys.create([member, "notify"], { scope: "run" });
      outputs.push(await sendOne.triggerAndWait({ member }, { idempotencyKey: key }).unwrap());
    }
    return outputs;
  },
});

const section = task({
  id: "section",
  queue: "sections",
  run: async ({ n }: { n: number }) => {
    if (n % 37 === 0) throw new AbortTaskRunError(`section ${n} is broken`);
    return n * 2;
  },
});

const fanIn = task({
  id: "fan-in",
  run: async ({ count }: { count: number }) => {
    const { runs } = await section.batchTriggerAndWait(Array.from({ length: count }, (_, n) => ({ payload: { n } })));
    const failures = runs.filter((run) => !run.ok);
    return {
      outputs: runs.map((run) => (run.ok ? run.output : null)),
      failures: failures.length,
      failureKinds: [...new Set(failures.map((run) => (run.ok ? "" : run.error.name)))],
    };
  },
});

const approvalChild = task({
  id: "approval-child",
  queue: "approvals",
  run: async (_: void, { ctx }) => {
    const token = await wait.createToken({ timeout: "10m" });
    await step.run("hand-out", () => env.redis.set(`${env.prefix}:child-token:${ctx.run.id}`, token.id));
    return (await wait.forToken<string>(token).unwrap()).toUpperCase();
  },
});

const waitsOnApproval = task({
  id: "waits-on-approval",
  run: async () => approvalChild.triggerAndWait().unwrap(),
});

const failingChild = task({
  id: "failing-child",
  run: async () => {
    throw new AbortTaskRunError("child gave up");
  },
});

const waitsOnFailure = task({
  id: "waits-on-failure",
  run: async () => {
    const result = await failingChild.triggerAndWait();
    let thrown = "";
    try {
      result.unwrap();
    } catch (error) {
      thrown = error instanceof RunFailedError ? `${error.code}: ${error.runError.message}` : String(error);
    }
    return { ok: result.ok, thrown };
  },
});

describe("child runs", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [sendOne, notifyMembers, section, fanIn, approvalChild, waitsOnApproval, failingChild, waitsOnFailure], concurrency: 20 });
  });
  afterAll(() => worker.close());

  it("sends to every member exactly once when the parent throws at the third member and retries", async () => {
    const members = ["ada", "bo", "cy", "dee"];
    const { id } = await notifyMembers.trigger({ members });
    const done = await waitForStatus(id, "COMPLETED");
    expect(done.output).toEqual(members.map((member) => `sent to ${member}`));
    expect(done.attemptCount).toBe(2);
    expect(await env.redis.mget(members.map(sends))).toEqual(["1", "1", "1", "1"]);
  });

  it("resumes a parent once after 200 children on another queue settle, with results in order and failures counted", async () => {
    const { id } = await fanIn.trigger({ count: 200 });
    const done = await waitForStatus(id, "COMPLETED", 30_000);
    const output = done.output as { outputs: (number | null)[]; failures: number; failureKinds: string[] };
    expect(output.outputs).toEqual(Array.from({ length: 200 }, (_, n) => (n % 37 === 0 ? null : n * 2)));
    expect(output.failures).toBe(6);
    expect(output.failureKinds).toEqual(["RunFailedError"]);
    expect((await jobOf("fan-in", id))?.attemptsStarted).toBe(2);
  });

  it("wakes the parent when a child on another queue, itself parked on a token, completes", async () => {
    const { id } = await waitsOnApproval.trigger();
    const parent = await waitForStatus(id, "WAITING");
    expect(parent.waitingOn).toMatchObject([{ kind: "run", queue: "approvals" }]);
    const childId = (parent.waitingOn![0] as { id: string }).id;
    await waitForStatus(childId, "WAITING");
    const tokenId = (await env.redis.get(`${env.prefix}:child-token:${childId}`))!;
    await wait.completeToken(tokenId, "approved");
    expect((await waitForStatus(id, "COMPLETED")).output).toBe("APPROVED");
  });

  it("gives a parent ok: false with the child's error when the child fails", async () => {
    const { id } = await waitsOnFailure.trigger();
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual({ ok: false, thrown: "RUN_FAILED: child gave up" });
  });

  it("marks children in their BullMQ job so they wake their parent without a read", async () => {
    const { id } = await waitsOnApproval.trigger();
    const parent = await waitForStatus(id, "WAITING");
    const childId = (parent.waitingOn![0] as { id: string }).id;
    const child = await runtime().queue("approvals").getJob(childId);
    expect((child!.opts as Record<string, unknown>)[WAITED_OPTION]).toBe(1);
  });
});
