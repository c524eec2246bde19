import { beforeAll, describe, expect, it } from "vitest";
import { createApp, createWorker, streams, task, wait, type RunDetails } from "../../src/index.js";
import { API_ROUTES } from "../../src/http/create-app.js";
import type { Hono } from "hono";
import { useDurabull } from "../support/durabull-test-env.js";
import { withSecret } from "../support/http-helpers.js";
import { waitForStatus } from "../support/run-helpers.js";

const SECRET = "routes-secret-0123456789abcdef";
useDurabull({ secretKey: SECRET });
let app: Hono;

beforeAll(() => {
  app = createApp();
});

/** Calls the app and checks the answer against the route's documented response schema. */
async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await app.request(path, withSecret(SECRET, { method, body }));
  const json = (await response.json()) as unknown;
  if (response.status === 200) {
    const route = API_ROUTES.find((candidate) => candidate.method === method.toLowerCase() && new RegExp(`^${candidate.path.replace(/:\w+/g, "[^/]+")}$`).test(path.split("?")[0]!));
    expect(route, `${method} ${path}`).toBeDefined();
    expect(() => route!.response.parse(json), `${method} ${path} answers its documented shape`).not.toThrow();
  }
  return { status: response.status, body: json };
}

const approval = streams.input<{ approved: boolean }>({ id: "approval" });
const review = task({
  id: "http-review",
  run: async ({ doc }: { doc: string }) => {
    const decision = await approval.wait({ timeout: "1m" }).unwrap();
    return { doc, ...decision };
  },
});
const sleeper = task({ id: "http-sleeper", run: async () => wait.for({ minutes: 10 }) });

describe("the API's routes", () => {
  it("triggers, lists, retrieves, sends to, cancels and replays runs", async () => {
    const worker = await createWorker({ tasks: [review, sleeper] });
    try {
      const triggered = await call("POST", "/api/v1/tasks/http-review/trigger", { payload: { doc: "terms" }, options: { tags: ["legal"], metadata: { by: "api" } } });
      expect(triggered).toMatchObject({ status: 200, body: { isCached: false } });
      const runId = triggered.body.id as string;
      await waitForStatus(runId, "WAITING");

      const listed = await call("GET", "/api/v1/runs?status=WAITING&tag=legal&taskIdentifier=http-review,other&limit=5");
      expect(listed.body.data.map((run: RunDetails) => run.id)).toEqual([runId]);
      const retrieved = await call("GET", `/api/v1/runs/${runId}`);
      expect(retrieved.body).toMatchObject({ id: runId, status: "WAITING", payload: { doc: "terms" }, tags: ["legal"], metadata: { by: "api" } });

      expect(await call("POST", `/api/v1/runs/${runId}/input-streams/approval`, { data: { approved: true } })).toEqual({ status: 200, body: { ok: true } });
      expect((await waitForStatus(runId, "COMPLETED")).output).toEqual({ doc: "terms", approved: true });
      expect(await call("POST", `/api/v1/runs/${runId}/input-streams/approval`, { data: { approved: false } })).toMatchObject({
        status: 409,
        body: { error: { code: "RUN_FINISHED" } },
      });

      const replayed = await call("POST", `/api/v1/runs/${runId}/replay`);
      expect(replayed.status).toBe(200);
      expect(replayed.body.id).not.toBe(runId);
      await waitForStatus(replayed.body.id, "WAITING");
      expect(await call("POST", `/api/v1/runs/${replayed.body.id}/cancel`)).toEqual({ status: 200, body: { id: replayed.body.id, canceled: true, status: "CANCELED" } });

      const delayed = await call("POST", "/api/v1/tasks/http-sleeper/trigger", { options: { delay: new Date(Date.now() + 3_600_000).toISOString(), idempotencyKey: "once" } });
      expect((await waitForStatus(delayed.body.id, "DELAYED")).status).toBe("DELAYED");
      expect(await call("POST", "/api/v1/tasks/http-sleeper/trigger", { options: { idempotencyKey: "once" } })).toEqual({ status: 200, body: { id: delayed.body.id, isCached: true } });
    } finally {
      await worker.close();
    }
  });

  it("lists, retrieves, completes and times out tokens", async () => {
    const first = await wait.createToken({ timeout: "5m", tags: ["http"] });
    const second = await wait.createToken({ timeout: "5m", tags: ["http"], idempotencyKey: "second" });
    const listed = await call("GET", `/api/v1/waitpoints/tokens?tags=http&status=WAITING&from=${Date.now() - 60_000}`);
    expect(listed.body.data.map((token: { id: string }) => token.id)).toEqual([second.id, first.id]);
    expect(await call("GET", `/api/v1/waitpoints/tokens?idempotencyKey=second&limit=1`)).toMatchObject({ body: { data: [{ id: second.id }] } });

    expect(await call("POST", `/api/v1/waitpoints/tokens/${first.id}/complete`, { data: [1, 2] })).toEqual({ status: 200, body: { id: first.id, completed: true, status: "COMPLETED" } });
    expect(await call("POST", `/api/v1/waitpoints/tokens/${second.id}/timeout`)).toEqual({ status: 200, body: { id: second.id, timedOut: true, status: "TIMED_OUT" } });
    expect(await call("POST", `/api/v1/waitpoints/tokens/${second.id}/timeout`)).toEqual({ status: 200, body: { id: second.id, timedOut: false, status: "TIMED_OUT" } });
    expect((await call("GET", `/api/v1/waitpoints/tokens/${first.id}`)).body).toMatchObject({ status: "COMPLETED", output: [1, 2], tags: ["http"] });
    expect((await call("GET", `/api/v1/waitpoints/tokens/${second.id}`)).body).toMatchObject({ status: "TIMED_OUT", error: { name: "WaitpointTimeoutError" } });
  });

  it("says it is healthy, and serves an OpenAPI document of every route", async () => {
    expect(await (await app.request("/api/v1/health")).json()).toEqual({ status: "ok", redis: "up" });
    const document = (await (await app.request("/api/v1/openapi.json")).json()) as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string }[] }>> };
    expect(document.openapi).toBe("3.1.0");
    for (const route of API_ROUTES) {
      const operation = document.paths[route.path.replace(/:(\w+)/g, "{$1}")]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      for (const name of route.path.match(/:(\w+)/g) ?? []) expect(operation!.parameters.map((parameter) => parameter.name)).toContain(name.slice(1));
    }
    expect(document.paths["/api/v1/runs"]!.get!.parameters.map((parameter) => parameter.name)).toEqual(["taskIdentifier", "status", "tag", "queue", "from", "to", "limit"]);
  });
});
