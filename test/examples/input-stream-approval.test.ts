/**
 * The input-stream-approval example: the run parks on its "approval" stream until a decision is
 * sent — with the stream's `.send`, or over HTTP — and publishes, rejects, or gives up when the
 * review time runs out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createWorker, RunFinishedError, type DurabullWorker } from "../../src/index.js";
import { articleApproval, publishArticle } from "../../examples/input-stream-approval.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { serveApp, withSecret, type Served } from "../support/http-helpers.js";
import { waitForStatus } from "../support/run-helpers.js";

const SECRET = "examples-input-stream-secret";
useDurabull({ secretKey: SECRET });

let worker: DurabullWorker;
let service: Served;

beforeAll(async () => {
  worker = await createWorker({ tasks: [publishArticle] });
  service = await serveApp(createApp());
});

afterAll(async () => {
  await worker.close();
  await service.close();
});

/** Triggers a review of `articleId` and returns its run id once the run waits on the stream. */
async function inReview(articleId: string, reviewTimeout = "1m"): Promise<string> {
  const { id } = await publishArticle.trigger({ articleId, reviewTimeout });
  const parked = await waitForStatus(id, "WAITING");
  expect(parked.waitingOn).toEqual([expect.objectContaining({ kind: "token", stream: "approval" })]);
  expect(parked.metadata).toEqual({ review: { status: "pending", previewUrl: `https://cms.example.com/preview/${articleId}` } });
  return id;
}

describe("example: input-stream approval", () => {
  it("publishes the article once an editor's approval is sent to the run", async () => {
    const id = await inReview("launch-post");
    await articleApproval.send(id, { approved: true, by: "alice" });
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ articleId: "launch-post", decision: "approved", by: "alice", url: "https://blog.example.com/articles/launch-post" });
    expect(run.metadata).toEqual({ review: { status: "approved", previewUrl: "https://cms.example.com/preview/launch-post" } });
  });

  it("takes a rejection sent over HTTP", async () => {
    const id = await inReview("hot-take");
    const response = await fetch(
      `${service.url}/api/v1/runs/${id}/input-streams/approval`,
      withSecret(SECRET, { method: "POST", body: { data: { approved: false, by: "bob" } } }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ articleId: "hot-take", decision: "rejected", by: "bob" });
  });

  it("gives up when no decision comes in time, and refuses a late one", async () => {
    const id = await inReview("forgotten", "2s");
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ articleId: "forgotten", decision: "timed-out" });
    await expect(articleApproval.send(id, { approved: true, by: "carol" })).rejects.toBeInstanceOf(RunFinishedError);
  });
});
