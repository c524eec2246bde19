import { verify } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortTaskRunError,
  ConfigurationError,
  createWorker,
  runs,
  step,
  task,
  wait,
  WaitpointNotFoundError,
  WaitpointTimeoutError,
  type DurabullWorker,
} from "../../src/index.js";
import { RedisKeys } from "../../src/redis/keys.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobOf, waitForStatus } from "../support/run-helpers.js";

const SECRET = "tokens-secret-0123456789abcdef";
const env = useDurabull({ secretKey: SECRET });

/** Where a run records the token it made, for the test to complete. */
const tokenKey = (runId: string) => `${env.prefix}:test-token:${runId}`;

async function tokenOf(runId: string): Promise<string> {
  for (;;) {
    const id = await env.redis.get(tokenKey(runId));
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const refund = task({
  id: "process-refund",
  run: async (payload: { refundId: string }, { ctx }) => {
    const token = await wait.createToken({ timeout: "48h", tags: ["refund", `refund:${payload.refundId}`] });
    await step.run("record-approval", () => env.redis.set(tokenKey(ctx.run.id), token.id));
    const result = await wait.forToken<{ decision: "approve" | "reject" }>(token.id);
    if (!result.ok) throw new AbortTaskRunError("approval timed out");
    return { refundId: payload.refundId, decision: result.output.decision };
  },
});

const selfCompleting = task({
  id: "self-completing",
  run: async (payload: { delayMs: number | null }) => {
    const token = await wait.createToken({ timeout: "1m" });
    if (payload.delayMs === null) await wait.completeToken(token, "early");
    else setTimeout(() => void wait.completeToken(token, "racing"), payload.delayMs);
    return (await wait.forToken<string>(token)).unwrap();
  },
});

const shortLived = task({
  id: "short-lived-token",
  run: async () => {
    const token = await wait.createToken({ timeout: "1s" });
    const result = await wait.forToken(token);
    let unwrapped: string;
    try {
      await wait.forToken(token).unwrap();
      unwrapped = "no error";
    } catch (error) {
      unwrapped = error instanceof WaitpointTimeoutError ? `WaitpointTimeoutError ${error.code}` : String(error);
    }
    return { ok: result.ok, error: result.ok ? null : result.error.name, unwrapped };
  },
});

const idempotent = task({
  id: "idempotent-token",
  retry: { maxAttempts: 2, minTimeoutInMs: 10, maxTimeoutInMs: 10 },
  run: async (_: void, { ctx }) => {
    const token = await wait.createToken({ idempotencyKey: ctx.run.id, timeout: "1h" });
    await env.redis.rpush(`${env.prefix}:tokens-seen:${ctx.run.id}`, JSON.stringify({ id: token.id, isCached: token.isCached }));
    if (ctx.attempt.number === 1) throw new Error("fail after making the token");
    return token.id;
  },
});

const fanIn = task({
  id: "three-tokens",
  run: async (_: void, { ctx }) => {
    const tokens = await Promise.all([1, 2, 3].map(() => wait.createToken({ timeout: "10m" })));
    await step.run("hand-out", () => env.redis.set(tokenKey(ctx.run.id), JSON.stringify(tokens.map((token) => token.id))));
    const results = await Promise.all(tokens.map((token) => wait.forToken<string>(token)));
    return results.map((result) => (result.ok ? result.output : "timed out"));
  },
});

describe("waitpoint tokens", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [refund, selfCompleting, shortLived, idempotent, fanIn], concurrency: 20 });
  });
  afterAll(() => worker.close());

  it("parks a refund run on a 48h token until the approval completes it, and resumes with the payload", async () => {
    const { id } = await refund.trigger({ refundId: "r-1" });
    const tokenId = await tokenOf(id);
    const waiting = await waitForStatus(id, "WAITING");
    const token = await wait.retrieveToken(tokenId);
    expect(token).toMatchObject({ id: tokenId, status: "WAITING", tags: ["refund", "refund:r-1"] });
    expect(token.timeoutAt.getTime() - token.createdAt.getTime()).toBe(48 * 3_600_000);
    expect(waiting.waitingOn).toEqual([{ kind: "token", id: tokenId, until: token.timeoutAt }]);

    expect(await wait.completeToken(tokenId, { decision: "approve" })).toEqual({ id: tokenId, completed: true, status: "COMPLETED" });
    const done = await waitForStatus(id, "COMPLETED");
    expect(done.output).toEqual({ refundId: "r-1", decision: "approve" });
    expect(await wait.retrieveToken(tokenId)).toMatchObject({ status: "COMPLETED", output: { decision: "approve" } });
  });

  it("completes a token once under fifty concurrent completions, and resumes the run once", async () => {
    const { id } = await refund.trigger({ refundId: "r-50" });
    const tokenId = await tokenOf(id);
    await waitForStatus(id, "WAITING");
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => wait.completeToken(tokenId, { decision: i === 0 ? "approve" : "reject" })));
    expect(results.filter((result) => result.completed)).toHaveLength(1);
    expect(results.every((result) => result.status === "COMPLETED")).toBe(true);
    await waitForStatus(id, "COMPLETED");
    expect((await jobOf("process-refund", id))?.attemptsStarted).toBe(2);
  });

  it("resumes at once for a token completed before forToken, without parking", async () => {
    const { id } = await selfCompleting.trigger({ delayMs: null });
    expect((await waitForStatus(id, "COMPLETED")).output).toBe("early");
    expect((await jobOf("self-completing", id))?.attemptsStarted).toBe(1);
  });

  it("loses no wake-up when the completion races the park (100 runs)", async () => {
    const handles = await selfCompleting.batchTrigger(Array.from({ length: 100 }, (_, i) => ({ payload: { delayMs: i % 8 } })));
    const outputs = await Promise.all(handles.runs.map(async ({ id }) => (await waitForStatus(id, "COMPLETED", 30_000)).output));
    expect(outputs).toEqual(Array.from({ length: 100 }, () => "racing"));
  });

  it("times a token out: ok false, unwrap throws WaitpointTimeoutError", async () => {
    const { id } = await shortLived.trigger();
    const done = await waitForStatus(id, "COMPLETED");
    expect(done.output).toEqual({ ok: false, error: "WaitpointTimeoutError", unwrapped: "WaitpointTimeoutError WAITPOINT_TIMEOUT" });
  });

  it("gives a run that fails after making a keyed token the same token on its retry, isCached", async () => {
    const { id } = await idempotent.trigger();
    const done = await waitForStatus(id, "COMPLETED");
    const seen = (await env.redis.lrange(`${env.prefix}:tokens-seen:${id}`, 0, -1)).map((entry) => JSON.parse(entry) as { id: string; isCached: boolean });
    expect(seen).toEqual([{ id: done.output, isCached: false }, { id: done.output, isCached: true }]);
  });

  it("parks once on three tokens and resumes after the last, completed in reverse order, with all outputs", async () => {
    const { id } = await fanIn.trigger();
    await waitForStatus(id, "WAITING");
    const tokens = JSON.parse(await tokenOf(id)) as string[];
    for (const [i, tokenId] of [...tokens.entries()].reverse()) {
      await wait.completeToken(tokenId, `output ${i}`);
      if (i > 0) expect((await runs.retrieve(id)).status).toBe("WAITING");
    }
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual(["output 0", "output 1", "output 2"]);
    expect((await jobOf("three-tokens", id))?.attemptsStarted).toBe(2);
  });
});

describe("tokens outside runs", () => {
  it("times out ten minutes after creation by default, and says which handles complete it", async () => {
    const token = await wait.createToken();
    const details = await wait.retrieveToken(token.id);
    expect(details.timeoutAt.getTime() - details.createdAt.getTime()).toBe(600_000);
    expect(token.url).toMatch(new RegExp(`^http://localhost:3030/api/v1/waitpoints/tokens/${token.id}/callback/[0-9a-f]{64}$`));
    const claims = await verify(token.publicAccessToken, SECRET, "HS256");
    expect(claims).toMatchObject({ sub: token.id, scopes: [`write:waitpoints:${token.id}`], exp: Math.ceil(details.timeoutAt.getTime() / 1000) });
  });

  it("lists tokens by status, tag, idempotency key and time, newest first", async () => {
    const from = new Date();
    const a = await wait.createToken({ tags: ["listing"], idempotencyKey: "listing-a" });
    const b = await wait.createToken({ tags: ["listing"] });
    const other = await wait.createToken({ tags: ["elsewhere"] });
    await wait.completeToken(b, { done: true });
    expect((await wait.listTokens({ tags: "listing" })).map((token) => token.id)).toEqual([b.id, a.id]);
    expect((await wait.listTokens({ tags: "listing", status: "WAITING" })).map((token) => token.id)).toEqual([a.id]);
    expect((await wait.listTokens({ status: ["COMPLETED"], from })).map((token) => token.id)).toEqual([b.id]);
    expect((await wait.listTokens({ idempotencyKey: "listing-a" })).map((token) => token.id)).toEqual([a.id]);
    expect(await wait.listTokens({ from, limit: 2 })).toHaveLength(2);
    expect((await wait.listTokens({ from })).map((token) => token.id)).toEqual([other.id, b.id, a.id]);
    expect((await wait.createToken({ idempotencyKey: "listing-a" })).isCached).toBe(true);
  });

  it("settles each token of a batch on its own: one that cannot be settled fails alone", async () => {
    const [first, broken, last] = await Promise.all([wait.createToken(), wait.createToken(), wait.createToken()]);
    await env.redis.set(new RedisKeys(env.prefix).token(broken.id), "not a hash");
    // Made in one turn, the three completions reach Redis as one call.
    const outcomes = await Promise.allSettled([first, broken, last].map((token) => wait.completeToken(token, { id: token.id })));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringMatching(/WRONGTYPE/) });
    for (const token of [first, last]) expect(await wait.retrieveToken(token)).toMatchObject({ status: "COMPLETED", output: { id: token.id } });
  });

  it("says clearly what is wrong", async () => {
    await expect(wait.completeToken("waitpoint_00000000000000000000000000", 1)).rejects.toBeInstanceOf(WaitpointNotFoundError);
    await expect(wait.retrieveToken("not-a-token")).rejects.toMatchObject({ code: "WAITPOINT_NOT_FOUND" });
    await expect(wait.createToken({ timeout: "soon" })).rejects.toThrow(/timeout must be a duration/);
    await expect(wait.createToken({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) })).rejects.toThrow(ConfigurationError);
    await expect(wait.listTokens({ status: "DONE" as never })).rejects.toThrow(ConfigurationError);
    expect(() => wait.forToken("waitpoint_x")).toThrow(/can only be called inside a task's run function/);
  });
});
