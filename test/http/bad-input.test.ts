import type { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigurationError, createApp, schemaTask, task, wait, type WaitpointToken } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { serveApp, snapshot, withSecret } from "../support/http-helpers.js";

const SECRET = "bad-input-secret-0123456789abc";
const env = useDurabull({ secretKey: SECRET });

const known = task({ id: "bad-input-known", run: async (payload: { n: number }) => payload.n });
schemaTask({ id: "bad-input-checked", schema: z.object({ n: z.number() }), run: async ({ n }) => n });

let app: Hono;
let token: WaitpointToken;
let runId: string;

beforeAll(async () => {
  app = createApp({ bodyLimit: 4_096 });
  token = await wait.createToken({ timeout: "5m" });
  runId = (await known.trigger({ n: 1 })).id;
});

interface Case {
  what: string;
  method: "GET" | "POST";
  path: () => string;
  body?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const big = JSON.stringify({ payload: "x".repeat(5_000) });

const cases: Case[] = [
  { what: "malformed JSON to trigger", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: "{payload:", status: 400, code: "INVALID_JSON" },
  { what: "malformed JSON to complete", method: "POST", path: () => `/api/v1/waitpoints/tokens/${token.id}/complete`, body: '{"data": 1', status: 400, code: "INVALID_JSON" },
  { what: "malformed JSON to the callback", method: "POST", path: () => new URL(token.url).pathname, body: "not json", status: 400, code: "INVALID_JSON" },
  { what: "an empty callback", method: "POST", path: () => new URL(token.url).pathname, body: "", status: 400, code: "INVALID_REQUEST" },
  { what: "malformed JSON to an input stream", method: "POST", path: () => `/api/v1/runs/${runId}/input-streams/s`, body: "[", status: 400, code: "INVALID_JSON" },
  { what: "a trigger body with unknown fields", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: '{"payload":{},"priority":1}', status: 400, code: "INVALID_REQUEST" },
  { what: "a priority of the wrong type", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: '{"options":{"priority":"high"}}', status: 400, code: "INVALID_REQUEST" },
  { what: "tags of the wrong type", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: '{"options":{"tags":[1,2]}}', status: 400, code: "INVALID_REQUEST" },
  { what: "a delay that is no duration", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: '{"options":{"delay":"soon"}}', status: 400, code: "CONFIGURATION_INVALID" },
  { what: "eleven tags", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: JSON.stringify({ options: { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) } }), status: 400, code: "INVALID_REQUEST" },
  { what: "a JSON array as trigger body", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: "[]", status: 400, code: "INVALID_REQUEST" },
  { what: "a body on a route that takes none", method: "POST", path: () => `/api/v1/runs/${runId}/cancel`, body: '{"force":true}', status: 400, code: "INVALID_REQUEST" },
  { what: "a complete body without data", method: "POST", path: () => `/api/v1/waitpoints/tokens/${token.id}/complete`, body: '{"output":1}', status: 400, code: "INVALID_REQUEST" },
  { what: "an unknown run status", method: "GET", path: () => "/api/v1/runs?status=DONE", status: 400, code: "INVALID_REQUEST" },
  { what: "a limit that is no number", method: "GET", path: () => "/api/v1/runs?limit=ten", status: 400, code: "INVALID_REQUEST" },
  { what: "a limit out of range", method: "GET", path: () => "/api/v1/waitpoints/tokens?limit=5000", status: 400, code: "INVALID_REQUEST" },
  { what: "a time that is no time", method: "GET", path: () => "/api/v1/waitpoints/tokens?from=yesterday", status: 400, code: "INVALID_REQUEST" },
  { what: "an unknown query field", method: "GET", path: () => "/api/v1/runs?sort=asc", status: 400, code: "INVALID_REQUEST" },
  { what: "an unknown run", method: "GET", path: () => "/api/v1/runs/run_00000000000000000000000000", status: 404, code: "RUN_NOT_FOUND" },
  { what: "a run id of another shape", method: "GET", path: () => "/api/v1/runs/%00%ff", status: 404, code: "RUN_NOT_FOUND" },
  { what: "canceling an unknown run", method: "POST", path: () => "/api/v1/runs/run_missing/cancel", status: 404, code: "RUN_NOT_FOUND" },
  { what: "replaying an unknown run", method: "POST", path: () => "/api/v1/runs/run_missing/replay", status: 404, code: "RUN_NOT_FOUND" },
  { what: "sending to an unknown run", method: "POST", path: () => "/api/v1/runs/run_missing/input-streams/s", body: '{"data":1}', status: 404, code: "RUN_NOT_FOUND" },
  { what: "sending to a stream of a bad name", method: "POST", path: () => `/api/v1/runs/${runId}/input-streams/a%20b`, body: '{"data":1}', status: 400, code: "CONFIGURATION_INVALID" },
  { what: "an unknown token", method: "GET", path: () => "/api/v1/waitpoints/tokens/waitpoint_missing", status: 404, code: "WAITPOINT_NOT_FOUND" },
  { what: "completing an unknown token", method: "POST", path: () => "/api/v1/waitpoints/tokens/waitpoint_missing/complete", body: '{"data":1}', status: 404, code: "WAITPOINT_NOT_FOUND" },
  { what: "timing out an unknown token", method: "POST", path: () => "/api/v1/waitpoints/tokens/waitpoint_missing/timeout", status: 404, code: "WAITPOINT_NOT_FOUND" },
  { what: "an unknown task", method: "POST", path: () => "/api/v1/tasks/no-such-task/trigger", body: '{"payload":1}', status: 404, code: "UNKNOWN_TASK" },
  { what: "a payload the task's schema refuses", method: "POST", path: () => "/api/v1/tasks/bad-input-checked/trigger", body: '{"payload":{"n":"one"}}', status: 400, code: "TASK_PAYLOAD_INVALID" },
  { what: "an unknown queue", method: "POST", path: () => "/api/v1/queues/nope/pause", status: 404, code: "QUEUE_NOT_FOUND" },
  { what: "an unknown route", method: "GET", path: () => "/api/v1/nothing-here", status: 404, code: "NOT_FOUND" },
  { what: "an oversized trigger", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: big, status: 413, code: "PAYLOAD_TOO_LARGE" },
  { what: "an oversized callback", method: "POST", path: () => new URL(token.url).pathname, body: big, status: 413, code: "PAYLOAD_TOO_LARGE" },
  { what: "an oversized completion", method: "POST", path: () => `/api/v1/waitpoints/tokens/${token.id}/complete`, body: big, status: 413, code: "PAYLOAD_TOO_LARGE" },
  { what: "no secret", method: "GET", path: () => "/api/v1/runs", headers: { authorization: "" }, status: 401, code: "UNAUTHORIZED" },
  { what: "a wrong secret", method: "POST", path: () => "/api/v1/environment/pause", headers: { authorization: `Bearer ${SECRET}x` }, status: 401, code: "UNAUTHORIZED" },
  { what: "the secret under another scheme", method: "POST", path: () => "/api/v1/environment/pause", headers: { authorization: `Basic ${SECRET}` }, status: 401, code: "UNAUTHORIZED" },
  { what: "a wrong secret with an oversized body", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: big, headers: { authorization: "Bearer nope" }, status: 401, code: "UNAUTHORIZED" },
  { what: "a wrong secret with a bad body", method: "POST", path: () => "/api/v1/tasks/bad-input-known/trigger", body: "{", headers: { authorization: "Bearer nope" }, status: 401, code: "UNAUTHORIZED" },
];

describe("bad input", () => {
  it.each(cases)("answers $what with $status $code and changes nothing", async (entry) => {
    const before = await snapshot(env.redis, env.prefix);
    const response = await app.request(entry.path(), withSecret(SECRET, { method: entry.method, ...(entry.body !== undefined ? { body: entry.body } : {}), headers: entry.headers ?? {} }));
    expect(response.status).toBe(entry.status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(entry.code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(await snapshot(env.redis, env.prefix)).toEqual(before);
  });

  it("over real HTTP, refuses a body over the limit whether it declares its length or is chunked", async () => {
    const served = await serveApp(app);
    try {
      const url = `${served.url}/api/v1/tasks/bad-input-known/trigger`;
      const headers = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };
      const before = await snapshot(env.redis, env.prefix);
      const declared = await fetch(url, { method: "POST", headers, body: big });
      expect(declared.status).toBe(413);
      const chunks = [Buffer.from('{"payload":"'), Buffer.alloc(5_000, "x"), Buffer.from('"}')];
      const chunked = await fetch(url, {
        method: "POST",
        headers,
        body: new ReadableStream({ pull: (controller) => (chunks.length > 0 ? controller.enqueue(chunks.shift()!) : controller.close()) }),
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(await snapshot(env.redis, env.prefix)).toEqual(before);
      const small = await fetch(url, { method: "POST", headers, body: JSON.stringify({ payload: { n: 2 } }) });
      expect(small.status).toBe(200);
    } finally {
      await served.close();
    }
  });

  it("refuses createApp options it does not know", () => {
    expect(() => createApp({ bodyLimit: -1 })).toThrow(ConfigurationError);
  });
});
