/**
 * The two ways outside parties complete a waitpoint token, made and checked with the secret
 * key: the callback URL (server to server) carries an HMAC-SHA256 signature of the token id;
 * the public access token (for browsers) is an HS256 JWT whose only scope is completing that one
 * token, expiring when the token times out. Made with Hono's JWT helpers, not hand-written crypto;
 * the HTTP service checks them.
 */
import { createHmac } from "node:crypto";
import { sign } from "hono/jwt";
import { ConfigurationError } from "../errors/configuration-error.js";

/** The scope a public access token must hold to complete token `tokenId`. */
export function completionScope(tokenId: string): string {
  return `write:waitpoints:${tokenId}`;
}

/** The secret key, or a ConfigurationError saying why it is needed. */
export function requireSecretKey(secretKey: string | undefined, purpose: string): string {
  if (!secretKey) {
    throw new ConfigurationError(`${purpose} needs a secret key: configure({ secretKey }) or set DURABULL_SECRET_KEY.`);
  }
  return secretKey;
}

/** The HMAC-SHA256 signature of a token id, in hex. */
export function callbackSignature(secretKey: string, tokenId: string): string {
  return createHmac("sha256", secretKey).update(tokenId).digest("hex");
}

/** `token.url`: POSTing JSON to it completes the token with that JSON. */
export function tokenCallbackUrl(publicUrl: string, secretKey: string, tokenId: string): string {
  return `${publicUrl}/api/v1/waitpoints/tokens/${tokenId}/callback/${callbackSignature(secretKey, tokenId)}`;
}

/** `token.publicAccessToken`: a Bearer token that may complete this one token until it times out. */
export function publicAccessToken(secretKey: string, tokenId: string, timeoutAt: number): Promise<string> {
  return sign({ sub: tokenId, scopes: [completionScope(tokenId)], exp: Math.ceil(timeoutAt / 1000) }, secretKey, "HS256");
}
