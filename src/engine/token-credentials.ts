/**
 * The credentials of the HTTP service, made and checked with the secret key: the callback URL
 * (server to server) carries an HMAC-SHA256 signature of the token id; the public access token
 * (for browsers) is an HS256 JWT whose only scope is completing that one token, expiring when the
 * token times out (made and verified with Hono's JWT helpers, not hand-written crypto); and the
 * secret key itself, for operators. Every comparison takes time that does not depend on where
 * the strings differ.
 */
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { sign, verify } from "hono/jwt";
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

/** Compares a presented secret with the expected one in constant time. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The secret as a key object, made once per secret: HMACs with it skip the key's setup. */
const keyObjects = new Map<string, KeyObject>();

/**
 * The HMAC-SHA256 signature of a token id, in hex. Hex straight from the digest: a digest as a
 * Buffer gets an ArrayBuffer of its own, which costs more than the HMAC's hashing.
 */
export function callbackSignature(secretKey: string, tokenId: string): string {
  let key = keyObjects.get(secretKey);
  if (!key) keyObjects.set(secretKey, (key = createSecretKey(Buffer.from(secretKey))));
  return createHmac("sha256", key).update(tokenId).digest("hex");
}

/** What every signature looks like: 64 lowercase hex digits. The shape is no secret; only the digits are. */
const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;

/** The two signatures being compared, decoded: reused by every check, which then allocates no buffers. */
const givenBytes = Buffer.alloc(32);
const expectedBytes = Buffer.alloc(32);

/** Whether `signature` is the callback signature of `tokenId`, compared in constant time. */
export function isCallbackSignature(secretKey: string, tokenId: string, signature: string): boolean {
  if (!SIGNATURE_SHAPE.test(signature)) return false;
  givenBytes.write(signature, "hex");
  expectedBytes.write(callbackSignature(secretKey, tokenId), "hex");
  return timingSafeEqual(givenBytes, expectedBytes);
}

/** `token.url`: POSTing JSON to it completes the token with that JSON. */
export function tokenCallbackUrl(publicUrl: string, secretKey: string, tokenId: string): string {
  return `${publicUrl}/api/v1/waitpoints/tokens/${tokenId}/callback/${callbackSignature(secretKey, tokenId)}`;
}

/** `token.publicAccessToken`: a Bearer token that may complete this one token until it times out. */
export function publicAccessToken(secretKey: string, tokenId: string, timeoutAt: number): Promise<string> {
  return sign({ sub: tokenId, scopes: [completionScope(tokenId)], exp: Math.ceil(timeoutAt / 1000) }, secretKey, "HS256");
}

/** The scopes of a public access token signed with this secret and not expired; undefined for anything else. */
export async function publicAccessScopes(secretKey: string, token: string): Promise<string[] | undefined> {
  try {
    const payload = await verify(token, secretKey, "HS256");
    return Array.isArray(payload.scopes) ? payload.scopes.filter((scope): scope is string => typeof scope === "string") : [];
  } catch {
    return undefined;
  }
}
