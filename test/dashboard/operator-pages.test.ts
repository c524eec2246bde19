import type { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { createWorker, runs, step, task, wait } from "../../src/index.js";
import { createDashboard } from "../../dashboard/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { basicAuth } from "../support/http-helpers.js";
import { waitForStatus } from "../support/run-helpers.js";

const SECRET = "operator-pages-secret-0123456789";
const env = useDurabull({ secretKey: SECRET });
const AUTH = basicAuth(SECRET);
const ORIGIN = "http://localhost";

const approval = task({
  id: "pages-approval",
  run: async ({ order }: { order: string }) => {
    const prepared = await step.run("prepare", async () => ({ order, total: 42 }));
    const token = await wait.createToken({ timeout: "1h", tags: [`order:${order}`] });
    const decision = await wait.forToken<{ approved: boolean }>(token);
    return { prepared, decision: decision.ok ? decision.output : "timed out" };
  },
});

/** Waits until run `id` is parked on a token, and gives the token's id. */
async function parkedToken(id: string): Promise<string> {
  const run = await waitForStatus(id, "WAITING");
  const wait = run.waitingOn?.[0];
  if (wait?.kind !== "token") throw new Error(`run ${id} waits on ${JSON.stringify(run.waitingOn)}`);
  return wait.id;
}

function form(fields: Record<string, string>): RequestInit {
  return { method: "POST", headers: { ...AUTH, Origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() };
}

describe("dashboard operator pages", () => {
  let app: Hono;
  beforeAll(() => {
    app = createDashboard({ queueRefreshMs: 0 });
  });

  it("lists waiting tokens by status and tag, with their runs and a countdown, and completes one from a form", async () => {
    const worker = await createWorker({ tasks: [approval] });
    try {
      const { id } = await approval.trigger({ order: "o-1" });
      const tokenId = await parkedToken(id);

      expect((await app.request("/waitpoints")).status).toBe(401);
      const listed = await (await app.request("/waitpoints?status=WAITING&tag=order:o-1", { headers: AUTH })).text();
      expect(listed).toContain(tokenId);
      expect(listed).toContain(`/runs/${id}`);
      expect(listed).toMatch(/data-deadline="\d+"/);
      expect(await (await app.request("/waitpoints?status=COMPLETED&tag=order:o-1", { headers: AUTH })).text()).not.toContain(tokenId);

      const badJson = await app.request(`/waitpoints/${tokenId}/complete`, form({ output: "{approved" }));
      expect(badJson.status).toBe(400);
      expect(await badJson.text()).toContain("Not JSON");
      expect((await wait.retrieveToken(tokenId)).status).toBe("WAITING");

      const forged = await app.request(`/waitpoints/${tokenId}/complete`, { ...form({ output: "{}" }), headers: { ...AUTH, Origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" } });
      expect(forged.status).toBe(403);
      expect((await wait.retrieveToken(tokenId)).status).toBe("WAITING");

      const completed = await app.request(`/waitpoints/${tokenId}/complete`, form({ output: '{"approved":true}' }));
      expect(completed.status).toBe(303);
      const after = await (await app.request(completed.headers.get("location")!, { headers: AUTH })).text();
      expect(after).toContain(`Completed ${tokenId}.`);
      expect((await waitForStatus(id, "COMPLETED")).output).toEqual({ prepared: { order: "o-1", total: 42 }, decision: { approved: true } });

      const again = await app.request(`/waitpoints/${tokenId}/complete`, form({ output: "{}" }));
      expect(decodeURIComponent(again.headers.get("location")!)).toContain("had already settled (COMPLETED)");
    } finally {
      await worker.close();
    }
  });

  it("forces a token's timeout, and says so for a token that does not exist", async () => {
    const worker = await createWorker({ tasks: [approval] });
    try {
      const { id } = await approval.trigger({ order: "o-2" });
      const tokenId = await parkedToken(id);
      expect((await app.request(`/waitpoints/${tokenId}/timeout`, form({}))).status).toBe(303);
      expect((await waitForStatus(id, "COMPLETED")).output).toMatchObject({ decision: "timed out" });
      const missing = await app.request("/waitpoints/waitpoint_nope/timeout", form({}));
      expect(missing.status).toBe(404);
    } finally {
      await worker.close();
    }
  });

  it("shows a run's journal as a timeline, and a parked run's wait in Bull Board", async () => {
    const worker = await createWorker({ tasks: [approval] });
    try {
      const { id } = await approval.trigger({ order: "o-3" });
      const tokenId = await parkedToken(id);

      const page = await (await app.request(`/runs/${id}`, { headers: AUTH })).text();
      expect(page).toContain("step.run(&quot;prepare&quot;)");
      expect(page).toContain("wait.createToken()");
      expect(page).toContain(`wait.forToken(&quot;${tokenId}&quot;)`);
      expect(page).toMatch(/class="pending" data-kind="token.wait"/);

      const jobs = (await (await app.request("/api/queues?activeQueue=pages-approval&status=delayed", { headers: AUTH })).json()) as {
        queues: { name: string; jobs: { id: string; name: string; progress: Record<string, unknown>; externalUrl?: { href: string } }[] }[];
      };
      const job = jobs.queues.find((queue) => queue.name === "pages-approval")?.jobs.find((candidate) => candidate.id === id);
      expect(job?.name).toMatch(new RegExp(`^pages-approval — waits for token ${tokenId} until \\d{4}-`));
      expect(job?.progress).toMatchObject({ durabull: { waitingFor: [`token ${tokenId}`] } });
      expect(job?.externalUrl?.href).toBe(`/runs/${id}`);
      const one = (await (await app.request(`/api/queues/pages-approval/${id}`, { headers: AUTH })).json()) as { job: { name: string; progress: unknown } };
      expect(one.job.name).toBe(job?.name);
      expect(one.job.progress).toEqual(job?.progress);
      const jobKey = `${env.prefix}:{pages-approval}:bull:pages-approval:${id}`;
      expect(await env.redis.hget(jobKey, "progress")).toBeNull();

      await wait.completeToken(tokenId, { approved: false });
      await waitForStatus(id, "COMPLETED");
      const finished = await (await app.request(`/runs/${id}`, { headers: AUTH })).text();
      expect(finished).not.toContain('class="pending"');
      expect(finished).toContain("&quot;approved&quot;: false");
      const done = (await (await app.request(`/api/queues/pages-approval/${id}`, { headers: AUTH })).json()) as { job: { name: string; progress: unknown } };
      expect(done.job.name).toBe("pages-approval");
      expect(done.job.progress).not.toHaveProperty("durabull");
      expect((await app.request("/runs/run_missing", { headers: AUTH })).status).toBe(404);
      expect((await runs.retrieve(id)).status).toBe("COMPLETED");
    } finally {
      await worker.close();
    }
  });
});
