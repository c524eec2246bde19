/**
 * The refund-approval example: the run shows its pending approval in its metadata and parks; an
 * approver's completion of the token approves or rejects the refund, and no decision in time
 * declines it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, TaskPayloadError, wait, type DurabullWorker } from "../../src/index.js";
import { refundApproval } from "../../examples/refund-approval.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

useDurabull({ secretKey: "examples-refund-approval-secret" });

const customer = { id: "cus_1", email: "ada@example.com" };
let worker: DurabullWorker;

beforeAll(async () => {
  worker = await createWorker({ tasks: [refundApproval] });
});

afterAll(async () => {
  await worker.close();
});

/** Triggers a refund and returns its run id and the token its pending approval shows. */
async function pendingRefund(orderId: string, approvalTimeout = "1m"): Promise<{ id: string; tokenId: string }> {
  const { id } = await refundApproval.trigger({ orderId, amountCents: 4_200, customer, approvalTimeout });
  const parked = await waitForStatus(id, "WAITING");
  expect(parked.metadata).toEqual({ approval: { status: "pending", tokenId: expect.stringMatching(/^waitpoint_/) } });
  return { id, tokenId: (parked.metadata.approval as { tokenId: string }).tokenId };
}

describe("example: refund approval", () => {
  it("issues the refund when an approver approves", async () => {
    const { id, tokenId } = await pendingRefund("ord-1");
    expect(await wait.retrieveToken(tokenId)).toMatchObject({ status: "WAITING", tags: ["refund:ord-1"] });

    expect(await wait.completeToken(tokenId, { approved: true, note: "loyal customer" })).toMatchObject({ completed: true });
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ orderId: "ord-1", decision: "approved", note: "loyal customer", refundId: expect.stringMatching(/^re_ord-1_4200_/) });
    expect(run.metadata).toEqual({ approval: { status: "approved", tokenId } });
  });

  it("declines the refund when an approver rejects it", async () => {
    const { id, tokenId } = await pendingRefund("ord-2");
    await wait.completeToken(tokenId, { approved: false, note: "outside the return window" });
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ orderId: "ord-2", decision: "rejected", note: "outside the return window" });
  });

  it("declines the refund when nobody decides in time", async () => {
    const { id, tokenId } = await pendingRefund("ord-3", "2s");
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ orderId: "ord-3", decision: "timed-out" });
    expect(run.metadata).toEqual({ approval: { status: "timed-out", tokenId } });
    expect(await wait.completeToken(tokenId, { approved: true })).toMatchObject({ completed: false, status: "TIMED_OUT" });
  });

  it("refuses a refund that is not one", async () => {
    await expect(refundApproval.trigger({ orderId: "ord-4", amountCents: -5, customer })).rejects.toBeInstanceOf(TaskPayloadError);
  });
});
