import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, wait } from "../../src/index.js";
import { publicAccessToken } from "../../src/engine/token-credentials.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { serveApp, snapshot, type Served } from "../support/http-helpers.js";

const SECRET = "token-access-secret-0123456789";
const env = useDurabull({ secretKey: SECRET });
const ORIGIN = "https://app.example";
let service: Served;

beforeAll(async () => {
  service = await serveApp(createApp());
});
afterAll(() => service.close());

const completeUrl = (tokenId: string) => `${service.url}/api/v1/waitpoints/tokens/${tokenId}/complete`;
const browserPost = (tokenId: string, bearer: string, body: unknown) =>
  fetch(completeUrl(tokenId), {
    method: "POST",
    headers: { origin: ORIGIN, authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
/** The path of a callback URL, with the service's own host. */
const callbackUrl = (url: string) => `${service.url}${new URL(url).pathname}`;

describe("completing a token from a browser with its public access token", () => {
  it("answers the CORS preflight, then completes the token with `data`", async () => {
    const token = await wait.createToken({ timeout: "5m" });
    const preflight = await fetch(completeUrl(token.id), {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");

    const response = await browserPost(token.id, token.publicAccessToken, { data: { approved: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({ id: token.id, completed: true, status: "COMPLETED" });
    expect(await wait.retrieveToken(token.id)).toMatchObject({ status: "COMPLETED", output: { approved: true } });
  });

  it("refuses the public token on another token (403) and on any other route (403)", async () => {
    const mine = await wait.createToken({ timeout: "5m" });
    const other = await wait.createToken({ timeout: "5m" });
    const before = await snapshot(env.redis, env.prefix);

    const elsewhere = await browserPost(other.id, mine.publicAccessToken, { data: "not yours" });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get("access-control-allow-origin")).toBe("*");
    expect(await elsewhere.json()).toMatchObject({ error: { code: "FORBIDDEN" } });

    for (const [method, path] of [
      ["GET", `/api/v1/waitpoints/tokens/${mine.id}`],
      ["POST", `/api/v1/waitpoints/tokens/${mine.id}/timeout`],
      ["GET", "/api/v1/runs"],
      ["POST", "/api/v1/environment/pause"],
    ] as const) {
      const response = await fetch(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${mine.publicAccessToken}` } });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect(await snapshot(env.redis, env.prefix)).toEqual(before);
    expect((await wait.retrieveToken(other.id)).status).toBe("WAITING");
  });

  it("refuses a tampered, expired, foreign or missing credential with 401", async () => {
    const token = await wait.createToken({ timeout: "5m" });
    const [header, payload, signature] = token.publicAccessToken.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    const widened = Buffer.from(JSON.stringify({ sub: token.id, scopes: ["write:waitpoints:*"], exp: Math.ceil(Date.now() / 1000) + 60 })).toString("base64url");
    const credentials = {
      "tampered signature": `${header}.${payload}.${flipped}`,
      "tampered payload": `${header}.${widened}.${signature}`,
      expired: await publicAccessToken(SECRET, token.id, Date.now() - 2_000),
      "signed with another secret": await sign({ sub: token.id, scopes: [`write:waitpoints:${token.id}`], exp: Math.ceil(Date.now() / 1000) + 60 }, "another-secret-0123456789", "HS256"),
      "not a JWT": "hello",
    };
    const before = await snapshot(env.redis, env.prefix);
    for (const [what, bearer] of Object.entries(credentials)) {
      const response = await browserPost(token.id, bearer, { data: what });
      expect(response.status, what).toBe(401);
      expect(await response.json(), what).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
    const bare = await fetch(completeUrl(token.id), { method: "POST", headers: { origin: ORIGIN }, body: JSON.stringify({ data: 1 }) });
    expect(bare.status).toBe(401);
    expect(await snapshot(env.redis, env.prefix)).toEqual(before);
    expect((await wait.retrieveToken(token.id)).status).toBe("WAITING");
  });

  it("refuses a body that is not `{ data }` with 400, never completing with undefined", async () => {
    const token = await wait.createToken({ timeout: "5m" });
    for (const body of [{}, { output: 1 }, { data: 1, extra: 2 }, [1], "text"]) {
      const response = await browserPost(token.id, token.publicAccessToken, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await wait.retrieveToken(token.id)).status).toBe("WAITING");
  });
});

describe("the callback URL", () => {
  it("refuses an altered signature (401) and leaves the token WAITING; it sends no CORS headers", async () => {
    const token = await wait.createToken({ timeout: "5m" });
    const url = callbackUrl(token.url);
    const other = await wait.createToken({ timeout: "5m" });
    const before = await snapshot(env.redis, env.prefix);
    const altered: [string, number][] = [
      [url.replace(/[0-9a-f]$/, (last) => (last === "0" ? "1" : "0")), 401],
      [url.replace(/\/callback\/[0-9a-f]+$/, `/callback/${"0".repeat(64)}`), 401],
      [url.replace(/\/callback\/[0-9a-f]+$/, "/callback/x"), 401],
      [url.replace(token.id, other.id), 401],
      [url.replace(/\/callback\/[0-9a-f]+$/, "/callback/"), 404],
    ];
    for (const [attempt, status] of altered) {
      const response = await fetch(attempt, { method: "POST", headers: { origin: ORIGIN }, body: JSON.stringify({ forged: true }) });
      expect(response.status, attempt).toBe(status);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(await snapshot(env.redis, env.prefix)).toEqual(before);
    expect((await wait.retrieveToken(token.id)).status).toBe("WAITING");

    const genuine = await fetch(url, { method: "POST", headers: { origin: ORIGIN }, body: JSON.stringify({ ok: 1 }) });
    expect(genuine.status).toBe(200);
    expect(genuine.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(url, { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "POST" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});
