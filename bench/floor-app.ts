/**
 * The HTTP bench's floor: a Hono route at the callback URL's path that does only the work a
 * token completion cannot skip, written the plain way — check the path's HMAC signature of the
 * id, read and parse the JSON body, write it to Redis (one `HSET`, auto-pipelined by ioredis),
 * answer the same JSON as the service. It checks no token state and wakes nothing, so it is less
 * work than a completion; how close the service comes to it shows what durabull's own layers
 * cost, apart from what any completion over HTTP costs on the machine.
 */
import { Hono } from "hono";
import { Redis } from "ioredis";
import { createHmac, timingSafeEqual } from "node:crypto";

/** The floor app, writing to `hashKey` on the Redis at `redisUrl`; signatures are made with `secretKey`. */
export function floorApp(redisUrl: string, secretKey: string, hashKey: string): Hono {
  const redis = new Redis(redisUrl, { enableAutoPipelining: true });
  return new Hono().post("/api/v1/waitpoints/tokens/:id/callback/:signature", async (context) => {
    const { id, signature } = context.req.param();
    const expected = createHmac("sha256", secretKey).update(id).digest();
    const given = Buffer.from(signature, "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return context.json({ error: "bad signature" }, 401);
    const output: unknown = JSON.parse(await context.req.text());
    await redis.hset(hashKey, id, JSON.stringify(output));
    return context.json({ id, completed: true, status: "COMPLETED" });
  });
}
