import { describe, expect, it } from "vitest";
import { runs, task } from "../../src/index.js";
import { replayKeyHash } from "../../src/engine/idempotency-key.js";
import { runtime } from "../../src/engine/runtime.js";
import { triggerRuns } from "../../src/engine/trigger.js";
import { CLAIM_GRACE_MS } from "../../src/engine/trigger-idempotency.js";
import { TASK_DEFINITION } from "../../src/engine/task-definition.js";
import { runScript, scripts } from "../../src/redis/scripts.js";
import { useDurabull } from "../support/durabull-test-env.js";

useDurabull();

const child = task({ id: "replayed-child", run: async (n: number) => n });
const target = { taskId: child.id, queue: child[TASK_DEFINITION].queue };
const caller = { runId: "run_01m8000000000000000000parent", attempt: 1 };
const items = (...payloads: number[]) => payloads.map((payload) => ({ target, payload }));

describe("a trigger made by a run, replayed before its journal entry was written", () => {
  it("gets back the runs it made (the calling run crashed between triggering and journaling)", async () => {
    const first = await triggerRuns(runtime(), items(1, 2), { caller, position: 3 });
    const replayed = await triggerRuns(runtime(), items(1, 2), { caller: { ...caller, attempt: 2 }, position: 3 });
    expect(first.every((run) => !run.isCached)).toBe(true);
    expect(replayed).toEqual(first.map((run) => ({ id: run.id, isCached: true })));
  });

  it("makes new runs at another position, in another run, or from outside a run", async () => {
    const [atThree] = await triggerRuns(runtime(), items(1), { caller, position: 7 });
    const others = [
      ...(await triggerRuns(runtime(), items(1), { caller, position: 8 })),
      ...(await triggerRuns(runtime(), items(1), { caller: { runId: "run_01m8000000000000000000other1", attempt: 1 }, position: 7 })),
      ...(await triggerRuns(runtime(), items(1))),
      ...(await triggerRuns(runtime(), items(1))),
    ];
    expect(new Set([atThree!.id, ...others.map((run) => run.id)]).size).toBe(5);
    expect(others.every((run) => !run.isCached)).toBe(true);
  });

  it("makes its runs after all when the crashed attempt claimed their keys but wrote nothing", async () => {
    const phantom = "run_01m80000000000000phantom00";
    const claimedAt = Date.now() - CLAIM_GRACE_MS + 300;
    const key = runtime().keys.triggerIdempotency(child.id, replayKeyHash(caller, 11, 0));
    await runScript(runtime().client, scripts.claimIdempotencyKey, [key], [phantom, claimedAt, 60_000]);

    const [made] = await triggerRuns(runtime(), items(1), { caller: { ...caller, attempt: 2 }, position: 11 });
    expect(made!.isCached).toBe(false);
    expect(made!.id).not.toBe(phantom);
    expect((await runs.retrieve(made!.id)).status).toBe("QUEUED");
    const [again] = await triggerRuns(runtime(), items(1), { caller: { ...caller, attempt: 3 }, position: 11 });
    expect(again).toEqual({ id: made!.id, isCached: true });
  });

  it("leaves an idempotency key given by the caller in charge", async () => {
    const [keyed] = await triggerRuns(runtime(), [{ target, payload: 1, options: { idempotencyKey: "mine" } }], { caller, position: 9 });
    const [again] = await triggerRuns(runtime(), [{ target, payload: 1, options: { idempotencyKey: "mine" } }], { caller, position: 10 });
    expect(again).toEqual({ id: keyed!.id, isCached: true });
  });
});
