import { describe, expect, it } from "vitest";
import { assertValidName, RedisKeys } from "../../src/redis/keys.js";
import { ConfigurationError } from "../../src/errors/configuration-error.js";

/** The hash tag Redis Cluster hashes a key by: the text between the first { and the next }. */
function hashTag(key: string): string {
  const open = key.indexOf("{");
  const close = key.indexOf("}", open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe("RedisKeys", () => {
  const keys = new RedisKeys("app");

  it("puts a queue's BullMQ keys under the prefix and the queue's hash tag", () => {
    const bullKey = `${keys.bullPrefix("emails")}:emails:wait`;
    expect(bullKey.startsWith("app:")).toBe(true);
    expect(hashTag(bullKey)).toBe("emails");
  });

  it("puts a run's hash under the prefix with the run id as hash tag", () => {
    const run = "run_01jd3k5y7m9p1q3s5u7w9y1a3c";
    expect(hashTag(keys.run(run))).toBe(run);
    expect(keys.run(run).startsWith("app:")).toBe(true);
    expect(hashTag(keys.taskRegistry())).toBe(hashTag(keys.queueRegistry()));
  });

  it("refuses prefixes that would break the hash tags", () => {
    for (const prefix of ["", "{app}", "app:", "a b", ":app"]) {
      expect(() => new RedisKeys(prefix)).toThrow(ConfigurationError);
    }
    expect(() => new RedisKeys("my-app:v2")).not.toThrow();
  });

  it("refuses names that cannot sit in a hash tag", () => {
    for (const name of ["", "a}b", "a{b", "a:b", "a b", "x".repeat(101), 7]) {
      expect(() => assertValidName("queue name", name)).toThrow(ConfigurationError);
    }
    expect(() => assertValidName("task id", "send-email.v2_x")).not.toThrow();
  });
});
