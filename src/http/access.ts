/**
 * Who may call a route. Four kinds:
 * - "open": anyone (health, the OpenAPI document);
 * - "secret": `Authorization: Bearer <secret key>` — operators and backends;
 * - "completion": the secret key, or the public access token of the one waitpoint token in the
 *   path — a browser completing its token;
 * - "callback": no header; the path carries the HMAC signature of the token id (`token.url`).
 * No credential, or one that is not ours (tampered, expired, wrong signature), is 401; a valid
 * public access token used beyond its scope is 403. Every comparison is in constant time.
 */
import type { Context } from "hono";
import { completionScope, isCallbackSignature, publicAccessScopes, sameSecret } from "../engine/token-credentials.js";
import { HttpError } from "./http-error.js";

/** Who may call a route. */
export type Access = "open" | "secret" | "completion" | "callback";

function bearerOf(context: Context): string | undefined {
  const header = context.req.header("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

const missing = () => new HttpError(401, "UNAUTHORIZED", "Send the secret key (or a public access token, where allowed) as `Authorization: Bearer <token>`.");
const notOurs = () => new HttpError(401, "UNAUTHORIZED", "The credential is not valid: wrong, tampered with, or expired.");
const outOfScope = () => new HttpError(403, "FORBIDDEN", "A public access token may only complete the waitpoint token it was made for.");

/**
 * Throws an HttpError unless the request may call a route of this access kind; `params` are its
 * decoded path parameters. Returns a promise only when a public access token is to be verified:
 * the other credentials are checked at once, without a turn of the microtask queue.
 */
export function checkAccess(access: Access, context: Context, secretKey: string, params: Record<string, string>): Promise<void> | undefined {
  if (access === "open") return undefined;
  if (access === "callback") {
    if (!isCallbackSignature(secretKey, params.id ?? "", params.signature ?? "")) {
      throw new HttpError(401, "INVALID_SIGNATURE", "The callback URL's signature does not match its token; use `token.url` as it was given.");
    }
    return undefined;
  }
  const bearer = bearerOf(context);
  if (bearer === undefined) throw missing();
  if (sameSecret(bearer, secretKey)) return undefined;
  return checkPublicAccessToken(access, secretKey, bearer, params.id ?? "");
}

/** Throws unless `bearer` is a public access token of ours whose scope covers this route. */
async function checkPublicAccessToken(access: Access, secretKey: string, bearer: string, tokenId: string): Promise<void> {
  const scopes = await publicAccessScopes(secretKey, bearer);
  if (scopes === undefined) throw notOurs();
  if (access === "completion" && scopes.includes(completionScope(tokenId))) return;
  throw outOfScope();
}
