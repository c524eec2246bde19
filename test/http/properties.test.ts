import fc from "fast-check";
import type { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp, task, wait } from "../../src/index.js";
import { API_ROUTES } from "../../src/http/create-app.js";
import { callbackSignature, publicAccessToken } from "../../src/engine/token-credentials.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { snapshot } from "../support/http-helpers.js";

const SECRET = "properties-secret-0123456789ab";
const env = useDurabull({ secretKey: SECRET });

task({ id: "prop-known", run: async () => "ok" });

let app: Hono;
/** Ids that exist, so that arbitrary input also reaches real runs and tokens. */
const known = { tokenId: "", runId: "", publicToken: "" };

beforeAll(async () => {
  app = createApp({ bodyLimit: 16_384 });
  const token = await wait.createToken({ timeout: "10m" });
  await wait.completeToken(token.id, "settled before the test");
  known.tokenId = token.id;
  known.publicToken = await publicAccessToken(SECRET, token.id, Date.now() + 600_000);
  const response = await app.request("/api/v1/tasks/prop-known/trigger", { method: "POST", headers: { authorization: `Bearer ${SECRET}` }, body: "{}" });
  known.runId = ((await response.json()) as { id: string }).id;
});

const text = fc.string({ unit: "binary", maxLength: 40 });

/** A path parameter: a known id (or the known token's true signature), a plausible unknown one, or anything at all. */
function param(name: string): fc.Arbitrary<string> {
  if (name === "signature") return fc.oneof(fc.constant(callbackSignature(SECRET, known.tokenId)), text);
  return fc.oneof(fc.constantFrom(known.tokenId, known.runId, "run_missing", "waitpoint_missing", "prop-known"), text);
}

/** A body: none, text, any JSON, or JSON of about the right shape with arbitrary insides. */
const body = fc.oneof(
  fc.constant(undefined),
  text,
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.record({ data: fc.jsonValue() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc.record({ payload: fc.jsonValue(), options: fc.dictionary(fc.constantFrom("delay", "tags", "priority", "queue", "metadata", "idempotencyKey", "x"), fc.jsonValue()) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);

const query = fc.dictionary(fc.constantFrom("status", "limit", "from", "to", "tag", "tags", "taskIdentifier", "idempotencyKey", "queue", "x"), text, { maxKeys: 3 });

/** The secret, none, a wrong one, the known token's public access token, or the secret without its scheme. */
function credential(): fc.Arbitrary<Record<string, string>> {
  return fc.constantFrom<Record<string, string>>({ authorization: `Bearer ${SECRET}` }, {}, { authorization: "Bearer wrong" }, { authorization: `Bearer ${known.publicToken}` }, { authorization: SECRET });
}

describe("arbitrary requests", () => {
  it.each(API_ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    "%s: never a 5xx, always the error shape, and a refused request changes nothing",
    async (_name, route) => {
      const names = (route.path.match(/:(\w+)/g) ?? []).map((name) => name.slice(1));
      const params = fc.tuple(...names.map((name) => param(name)));
      await fc.assert(
        fc.asyncProperty(params, query, route.method === "get" ? fc.constant(undefined) : body, credential(), async (values, search, payload, headers) => {
          const path = names.reduce((built, name, index) => built.replace(`:${name}`, encodeURIComponent(values[index]!)), route.path);
          const url = `${path}?${new URLSearchParams(search).toString()}`;
          const before = await snapshot(env.redis, env.prefix);
          const response = await app.request(url, {
            method: route.method.toUpperCase(),
            headers,
            ...(payload !== undefined ? { body: payload } : {}),
          });
          expect(response.status, url).toBeLessThan(500);
          const answer = (await response.json()) as { error?: { code: string; message: string } };
          if (response.status >= 400) {
            expect(answer.error?.code, url).toMatch(/^[A-Z_]+$/);
            expect(await snapshot(env.redis, env.prefix), `${route.method} ${url} answered ${response.status} yet changed Redis`).toEqual(before);
          }
        }),
        { numRuns: 60 },
      );
    },
    60_000,
  );
});
