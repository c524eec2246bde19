/**
 * Waitpoint token routes: the callback URL a partner POSTs to (`token.url`), the completion a
 * browser makes with the public access token, and the operator's list, read and forced timeout.
 */
import { z } from "zod";
import { completeToken, timeoutToken } from "../../engine/tokens.js";
import { runtime } from "../../engine/runtime.js";
import { wait } from "../../sdk/wait.js";
import { defineRoute } from "../route.js";
import { anyJson, commaList, countField, idParams, listOf, timeField, tokenDetails, tokenStatus } from "../schemas.js";

const completion = z.object({ id: z.string(), completed: z.boolean(), status: tokenStatus });

/** The token routes. */
export const tokenRoutes = [
  defineRoute({
    method: "post",
    path: "/api/v1/waitpoints/tokens/:id/callback/:signature",
    summary: "Complete a token with the JSON body as its output (the token's `url`; the path's signature is the credential)",
    tag: "tokens",
    access: "callback",
    params: z.object({ id: z.string(), signature: z.string() }),
    body: anyJson,
    response: completion,
    handle: ({ params, body }) => completeToken(runtime(), params.id, body),
  }),
  defineRoute({
    method: "post",
    path: "/api/v1/waitpoints/tokens/:id/complete",
    summary: "Complete a token with `data` as its output (the secret key, or the token's public access token; CORS)",
    tag: "tokens",
    access: "completion",
    params: idParams,
    body: z.object({ data: z.unknown() }).strict(),
    response: completion,
    handle: ({ params, body }) => completeToken(runtime(), params.id, body.data),
  }),
  defineRoute({
    method: "get",
    path: "/api/v1/waitpoints/tokens",
    summary: "List tokens, newest first",
    tag: "tokens",
    access: "secret",
    query: z
      .object({
        status: commaList(tokenStatus).optional(),
        tags: z.string().optional(),
        idempotencyKey: z.string().optional(),
        from: timeField.optional(),
        to: timeField.optional(),
        limit: countField(1, 1_000).optional(),
      })
      .strict(),
    response: listOf(tokenDetails),
    handle: async ({ query }) => ({ data: await wait.listTokens(query) }),
  }),
  defineRoute({
    method: "get",
    path: "/api/v1/waitpoints/tokens/:id",
    summary: "Retrieve a token",
    tag: "tokens",
    access: "secret",
    params: idParams,
    response: tokenDetails,
    handle: ({ params }) => wait.retrieveToken(params.id),
  }),
  defineRoute({
    method: "post",
    path: "/api/v1/waitpoints/tokens/:id/timeout",
    summary: "Time a waiting token out now; runs waiting on it resume with `ok: false`",
    tag: "tokens",
    access: "secret",
    params: idParams,
    response: z.object({ id: z.string(), timedOut: z.boolean(), status: tokenStatus }),
    handle: ({ params }) => timeoutToken(runtime(), params.id),
  }),
];
