import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createWorker, runs, task } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { serveApp, withSecret, type Served } from "../support/http-helpers.js";
import { waitForStatus } from "../support/run-helpers.js";

const SECRET = "queues-http-secret-0123456789";
const env = useDurabull({ secretKey: SECRET });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let service: Served;

beforeAll(async () => {
  service = await serveApp(createApp());
});
afterAll(() => service.close());

const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${service.url}${path}`, withSecret(SECRET, { method, body }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const stamp = task({ id: "http-stamp", queue: "http-paused", run: async ({ n }: { n: number }) => void (await env.redis.set(`${env.prefix}:stamp:${n}`, "1")) });

describe("pausing queues over HTTP", () => {
  it("pauses a queue so that no run starts, and resumes it", async () => {
    const worker = await createWorker({ tasks: [stamp] });
    try {
      const paused = await call("POST", "/api/v1/queues/http-paused/pause");
      expect(paused).toMatchObject({ status: 200, body: { name: "http-paused", paused: true } });
      const triggered = await call("POST", "/api/v1/tasks/http-stamp/trigger", { payload: { n: 1 } });
      expect(triggered.status).toBe(200);
      const runId = triggered.body.id as string;

      await sleep(1_500);
      expect((await runs.retrieve(runId)).status).toBe("QUEUED");
      expect(await env.redis.exists(`${env.prefix}:stamp:1`)).toBe(0);
      expect(await call("GET", "/api/v1/queues/http-paused")).toMatchObject({ status: 200, body: { paused: true, counts: { queued: 1 } } });

      expect(await call("POST", "/api/v1/queues/http-paused/resume")).toMatchObject({ status: 200, body: { paused: false } });
      await waitForStatus(runId, "COMPLETED");
      expect(await env.redis.get(`${env.prefix}:stamp:1`)).toBe("1");
    } finally {
      await worker.close();
    }
  });

  it("pauses and resumes every queue at once (the environment)", async () => {
    const worker = await createWorker({ tasks: [stamp] });
    try {
      const paused = await call("POST", "/api/v1/environment/pause");
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ paused: true, queues: expect.arrayContaining(["http-paused"]) });
      const { id } = await stamp.trigger({ n: 2 });
      await sleep(1_500);
      expect((await runs.retrieve(id)).status).toBe("QUEUED");
      const listed = await call("GET", "/api/v1/queues");
      expect((listed.body.data as { paused: boolean }[]).every((queue) => queue.paused)).toBe(true);

      expect(await call("POST", "/api/v1/environment/resume")).toMatchObject({ status: 200, body: { paused: false } });
      await waitForStatus(id, "COMPLETED");
    } finally {
      await worker.close();
    }
  });

  it("answers 404 for a queue nothing has used, pausing nothing", async () => {
    for (const path of ["/api/v1/queues/no-such-queue", "/api/v1/queues/no-such-queue/pause", "/api/v1/queues/no-such-queue/resume"]) {
      const response = await call(path.endsWith("queue") ? "GET" : "POST", path);
      expect(response).toMatchObject({ status: 404, body: { error: { code: "QUEUE_NOT_FOUND" } } });
    }
    expect((await call("GET", "/api/v1/queues")).body.data).not.toContainEqual(expect.objectContaining({ name: "no-such-queue" }));
  });
});
