/**
 * Example: a decision sent into a running run. An article is prepared for publishing, then the run
 * parks on its "approval" input stream — no worker held — until an editor's decision is sent to it
 * from outside, or the review time (ten minutes) runs out. Send the decision from your backend:
 *
 *   await articleApproval.send(runId, { approved: true, by: "alice" });
 *
 * or over HTTP, through durabull's HTTP service, with the secret key:
 *
 *   curl -X POST "$DURABULL_URL/api/v1/runs/<runId>/input-streams/approval" \
 *     -H "Authorization: Bearer $DURABULL_SECRET_KEY" -H "Content-Type: application/json" \
 *     -d '{"data":{"approved":true,"by":"alice"}}'
 *
 * Where a token (see refund-approval.ts) is addressed by its own id, a stream is addressed by the
 * run's id. A decision sent before the run reaches its wait is kept for it, so there is no race.
 */
import { z } from "zod";
import { metadata, schemaTask, step, streams } from "../src/index.js";

/** An editor's decision on an article. */
export interface EditorDecision {
  approved: boolean;
  by: string;
}

/** How the review ended: approved (and published), rejected, or no decision in time. */
export interface PublishOutcome {
  articleId: string;
  decision: "approved" | "rejected" | "timed-out";
  /** The editor who decided. */
  by?: string;
  /** The published article, when approved. */
  url?: string;
}

/** The stream editors' decisions are sent on; the task and the senders share this object. */
export const articleApproval = streams.input<EditorDecision>({ id: "approval" });

/** Pretend CMS: renders a preview for the editor to read. */
async function renderPreview(articleId: string): Promise<{ previewUrl: string }> {
  return { previewUrl: `https://cms.example.com/preview/${articleId}` };
}

/** Pretend CMS: publishes the article. */
async function publish(articleId: string): Promise<{ url: string }> {
  return { url: `https://blog.example.com/articles/${articleId}` };
}

/** Prepares an article, waits for an editor's decision on its input stream, and publishes it if approved. */
export const publishArticle = schemaTask({
  id: "publish-article",
  schema: z.object({
    articleId: z.string().regex(/^[\w-]{1,64}$/),
    /** How long editors have to decide. */
    reviewTimeout: z.string().default("10m"),
  }),
  run: async ({ articleId, reviewTimeout }) => {
    const { previewUrl } = await step.run("render-preview", () => renderPreview(articleId));
    metadata.set("review", { status: "pending", previewUrl });

    // Parks on a token behind the stream, tagged so it can be found; `ok: false` means time ran out.
    const result = await articleApproval.wait({ timeout: reviewTimeout, tags: [`article:${articleId}`] });
    const outcome: PublishOutcome = !result.ok
      ? { articleId, decision: "timed-out" }
      : { articleId, decision: result.output.approved === true ? "approved" : "rejected", by: result.output.by };
    metadata.set("review", { status: outcome.decision, previewUrl });
    if (outcome.decision !== "approved") return outcome;

    const { url } = await step.run("publish", () => publish(articleId));
    return { ...outcome, url };
  },
});
