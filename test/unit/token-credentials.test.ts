import { verify } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { callbackSignature, isCallbackSignature, publicAccessToken, tokenCallbackUrl } from "../../src/engine/token-credentials.js";

const SECRET = "unit-secret-0123456789abcdef";
const ID = "waitpoint_01jd3k5y7m9p1q3s5u7w9y1a3c";

describe("token credentials", () => {
  it("signs a token id with HMAC-SHA256 into the callback URL", () => {
    const signature = callbackSignature(SECRET, ID);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(callbackSignature(SECRET, ID)).toBe(signature);
    expect(callbackSignature("another-secret-0123456789", ID)).not.toBe(signature);
    expect(callbackSignature(SECRET, `${ID}x`)).not.toBe(signature);
    expect(tokenCallbackUrl("https://jobs.example.com", SECRET, ID)).toBe(`https://jobs.example.com/api/v1/waitpoints/tokens/${ID}/callback/${signature}`);
  });

  it("accepts a callback's signature only as given: the token's, whole, in lowercase hex", () => {
    const signature = callbackSignature(SECRET, ID);
    expect(isCallbackSignature(SECRET, ID, signature)).toBe(true);
    const refused = [
      signature.toUpperCase(),
      signature.slice(0, 62),
      `${signature}0`,
      `${signature.slice(0, 32)}${"g".repeat(32)}`,
      `${signature.slice(0, 63)}${signature.endsWith("0") ? "1" : "0"}`,
      callbackSignature(SECRET, `${ID.slice(0, -1)}d`),
      "",
    ];
    for (const wrong of refused) expect(isCallbackSignature(SECRET, ID, wrong), wrong).toBe(false);
    expect(isCallbackSignature("another-secret-0123456789", ID, signature)).toBe(false);
  });

  it("makes a public access token scoped to the one token, expiring when it times out", async () => {
    const timeoutAt = Date.now() + 60_000;
    const token = await publicAccessToken(SECRET, ID, timeoutAt);
    expect(await publicAccessToken(SECRET, ID, timeoutAt)).toBe(token);
    expect(await verify(token, SECRET, "HS256")).toEqual({ sub: ID, scopes: [`write:waitpoints:${ID}`], exp: Math.ceil(timeoutAt / 1000) });
    await expect(verify(token, "wrong-secret-0123456789", "HS256")).rejects.toThrow();
    await expect(verify(await publicAccessToken(SECRET, ID, Date.now() - 120_000), SECRET, "HS256")).rejects.toThrow();
  });
});
