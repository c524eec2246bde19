/**
 * Example: a refund that a person must approve. The run makes a waitpoint token, shows it as a
 * pending approval in its metadata (so the dashboard and `runs.retrieve` show what it waits on),
 * tells the approvers, and parks for up to 48 hours — no worker held. An approver's decision
 * completes the token, from your backend after checking they may approve:
 *
 *   await wait.completeToken(tokenId, { approved: true, note: "loyal customer" });
 *
 * or over HTTP: `POST /api/v1/waitpoints/tokens/<tokenId>/complete` with `{ "data": { "approved": true } }`
 * and the secret key (or the token's public access token) as Bearer; or by hand, from the
 * dashboard's waitpoints page or the CLI: `durabull tokens complete <tokenId> '{"approved":true}'`.
 * The token id is in the run's metadata (`approval.tokenId`), and the token carries the tag
 * `refund:<orderId>` (`durabull tokens list --tag refund:<orderId>`). An approval issues the
 * refund; a rejection, or no decision before the timeout, declines it.
 */
import { z } from "zod";
import { metadata, schemaTask, step, wait } from "../src/index.js";

/** What an approver completes the token with. */
export interface RefundDecision {
  approved: boolean;
  note?: string;
}

/** How the refund ended: approved (and refunded), rejected by an approver, or timed out. */
export interface RefundOutcome {
  orderId: string;
  decision: "approved" | "rejected" | "timed-out";
  /** The payment provider's refund, when approved. */
  refundId?: string;
  /** The approver's note, if any. */
  note?: string;
}

/** Pretend notification: where a real task would post to Slack or send an email. */
async function notifyApprovers(text: string): Promise<{ channel: string; text: string }> {
  return { channel: "#refund-approvals", text };
}

/**
 * Pretend payment provider. A step's body runs at least once, so the refund carries an
 * idempotency key — the run id — for the provider to refund only once however often it is called.
 */
async function issueRefund(orderId: string, amountCents: number, idempotencyKey: string): Promise<{ refundId: string }> {
  return { refundId: `re_${orderId}_${amountCents}_${idempotencyKey.slice(-8)}` };
}

/** Refunds an order once a person approves it; declines it when they reject it or nobody decides in time. */
export const refundApproval = schemaTask({
  id: "refund-approval",
  schema: z.object({
    orderId: z.string().regex(/^[\w-]{1,64}$/),
    amountCents: z.number().int().positive(),
    customer: z.object({ id: z.string().min(1), email: z.email() }),
    /** How long approvers have to decide. */
    approvalTimeout: z.string().default("48h"),
  }),
  run: async ({ orderId, amountCents, customer, approvalTimeout }, { ctx }) => {
    // The journal already gives a replay this token back; the key (a plain string is scoped to this
    // run) also returns it if the worker died between making the token and journaling it.
    const token = await wait.createToken({
      timeout: approvalTimeout,
      idempotencyKey: `refund-approval:${orderId}`,
      idempotencyKeyTTL: approvalTimeout,
      tags: [`refund:${orderId}`],
    });
    metadata.set("approval", { status: "pending", tokenId: token.id });
    await step.run("notify-approvers", () =>
      notifyApprovers(`Refund of ${amountCents} cents on order ${orderId} for ${customer.email} needs approval: token ${token.id}`),
    );

    const result = await wait.forToken<RefundDecision>(token);
    // Not ok means the timeout passed: nobody decided, so the refund is declined. The output is
    // whatever the completer sent, so only a literal `approved: true` approves.
    const outcome: RefundOutcome = !result.ok
      ? { orderId, decision: "timed-out" }
      : { orderId, decision: result.output.approved === true ? "approved" : "rejected", ...(result.output.note ? { note: result.output.note } : {}) };
    metadata.set("approval", { status: outcome.decision, tokenId: token.id });
    if (outcome.decision !== "approved") return outcome;

    const { refundId } = await step.run("issue-refund", () => issueRefund(orderId, amountCents, ctx.run.id));
    return { ...outcome, refundId };
  },
});
