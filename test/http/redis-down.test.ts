import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure, createApp, disconnect, wait } from "../../src/index.js";
import { RedisServerProcess } from "../../src/redis/redis-server-process.js";
import { withSecret } from "../support/http-helpers.js";
import { MemoryLogger } from "../support/durabull-test-env.js";

const SECRET = "redis-down-secret-0123456789ab";
const logger = new MemoryLogger();
let server: RedisServerProcess;
let app: Hono;

beforeAll(async () => {
  server = await RedisServerProcess.start({ appendfsync: "always" });
  configure({ connection: server.url, prefix: "down", secretKey: SECRET, logger });
  app = createApp();
});

afterAll(async () => {
  await disconnect();
  await server.close();
});

describe("when Redis does not answer", () => {
  it("answers 503 REDIS_UNAVAILABLE (health included), logs the outage once, and serves again once Redis is back", async () => {
    const token = await wait.createToken({ timeout: "5m" });
    expect((await app.request("/api/v1/health")).status).toBe(200);

    await server.stop();
    const started = Date.now();
    const health = await app.request("/api/v1/health");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { code: "REDIS_UNAVAILABLE" } });
    for (const [method, path, body] of [
      ["GET", "/api/v1/runs", undefined],
      ["GET", `/api/v1/waitpoints/tokens/${token.id}`, undefined],
      ["POST", `/api/v1/waitpoints/tokens/${token.id}/complete`, { data: 1 }],
      ["POST", "/api/v1/environment/pause", undefined],
    ] as const) {
      const response = await app.request(path, withSecret(SECRET, { method, body }));
      expect(response.status, `${method} ${path}`).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: "REDIS_UNAVAILABLE" } });
    }
    expect(Date.now() - started).toBeLessThan(15_000);

    await server.restart();
    await expect.poll(async () => (await app.request("/api/v1/health")).status, { timeout: 15_000 }).toBe(200);
    const completed = await app.request(`/api/v1/waitpoints/tokens/${token.id}/complete`, withSecret(SECRET, { method: "POST", body: { data: "after" } }));
    expect(await completed.json()).toEqual({ id: token.id, completed: true, status: "COMPLETED" });
    expect(logger.lines.filter((line) => line.includes("Redis connection (commands)"))).toEqual([
      expect.stringMatching(/^error Redis connection \(commands\) lost: .*; retrying$/),
      "info Redis connection (commands) back",
    ]);
  }, 40_000);
});
