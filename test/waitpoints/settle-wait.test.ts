import { describe, expect, it } from "vitest";
import { runtime } from "../../src/engine/runtime.js";
import { settleRunWait } from "../../src/engine/waking.js";
import { useDurabull } from "../support/durabull-test-env.js";

const env = useDurabull();

const RUN = { runId: "run_01m80x0000000000000000000", queue: "reports" };
const COMPLETED = JSON.stringify({ ok: true, output: { report: "x".repeat(100_000) } });
const TIMED_OUT = JSON.stringify({ ok: false, error: { name: "WaitpointTimeoutError", message: "timed out" } });

describe("settling a run's wait", () => {
  /** The run's hash, with these fields, and a BullMQ job (all a script asks of it: that it exists). */
  async function parkedRun(fields: Record<string, string>): Promise<string> {
    await env.redis.hset(runtime().keys.job(RUN.queue, RUN.runId), { name: "parked" });
    const key = runtime().keys.run(RUN.runId);
    await env.redis.hset(key, fields);
    return key;
  }

  it("records the first result once and counts the park down; a later call gets the earlier result back, the first none", async () => {
    const key = await parkedRun({ "w:waitpoint_a": "", "w:waitpoint_b": "", pw: "2" });

    expect(await settleRunWait(runtime(), RUN, "waitpoint_a", COMPLETED)).toEqual({ pending: 1, held: undefined, parkPending: 1 });
    expect(await settleRunWait(runtime(), RUN, "waitpoint_a", TIMED_OUT)).toEqual({ pending: -1, held: COMPLETED, parkPending: 1 });
    expect(await env.redis.hget(key, "w:waitpoint_a")).toBe(COMPLETED);

    expect(await settleRunWait(runtime(), RUN, "waitpoint_b", TIMED_OUT)).toEqual({ pending: 0, held: undefined, parkPending: 0 });
  });

  it("records a result for a wait the run has not marked pending without counting it, so a replay finds it", async () => {
    const key = await parkedRun({ pw: "1" });

    expect(await settleRunWait(runtime(), RUN, "waitpoint_c", TIMED_OUT)).toEqual({ pending: -1, held: undefined, parkPending: 1 });
    expect(await settleRunWait(runtime(), RUN, "waitpoint_c", COMPLETED)).toMatchObject({ pending: -1, held: TIMED_OUT });
    expect(await env.redis.hget(key, "w:waitpoint_c")).toBe(TIMED_OUT);
  });

  it("writes nothing to a run that no longer exists", async () => {
    const gone = { runId: "run_01m80x0000000000000000001", queue: "reports" };
    expect(await settleRunWait(runtime(), gone, "waitpoint_a", COMPLETED)).toEqual({ pending: -2, held: undefined, parkPending: 0 });
    expect(await env.redis.exists(runtime().keys.run(gone.runId))).toBe(0);
  });
});
