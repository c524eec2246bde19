import { Redis, type RedisOptions } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { describeConnection } from "../../src/redis/connection.js";

const clients: Redis[] = [];
/** A client that never connects: describing it needs only its parsed options. */
function lazy(input: string | RedisOptions): Redis {
  const made = typeof input === "string" ? new Redis(input, { lazyConnect: true }) : new Redis({ ...input, lazyConnect: true });
  clients.push(made);
  return made;
}
afterAll(() => clients.forEach((made) => made.disconnect()));

describe("describeConnection", () => {
  it("names host, port and database of a URL, never its password", () => {
    expect(describeConnection(lazy("redis://user:hunter2@cache.internal:6380/2"))).toBe("redis://cache.internal:6380/2");
    expect(describeConnection(lazy("rediss://cache.internal"))).toBe("rediss://cache.internal:6379");
  });

  it("names a unix socket given as a path or in options", () => {
    expect(describeConnection(lazy("/var/run/redis.sock"))).toBe("unix:/var/run/redis.sock");
    expect(describeConnection(lazy({ path: "/var/run/redis.sock", db: 3 }))).toBe("unix:/var/run/redis.sock/3");
  });

  it("names host and port given as options", () => {
    expect(describeConnection(lazy({ host: "10.0.0.5", port: 7000, password: "hunter2" }))).toBe("redis://10.0.0.5:7000");
    expect(describeConnection(lazy({}))).toBe("redis://localhost:6379");
  });
});
