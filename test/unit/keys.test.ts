import { describe, expect, it } from "vitest";
import { createRunId } from "../../src/engine/ids.js";
import { assertValidName, queueTag, RedisKeys } from "../../src/redis/keys.js";
import { ConfigurationError } from "../../src/errors/configuration-error.js";

/** The hash tag Redis Cluster hashes a key by: the text between the first { and the next }. */
function hashTag(key: string): string {
  const open = key.indexOf("{");
  const close = key.indexOf("}", open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe("RedisKeys", () => {
  const keys = new RedisKeys("app");

  it("puts a queue's keys, BullMQ's and durabull's, and its runs' keys under the prefix and the queue's hash tag", () => {
    const tag = queueTag("emails");
    const run = createRunId("emails");
    const queueKeys = [`${keys.bullPrefix("emails")}:emails:wait`, keys.delays("emails"), keys.retentionCursor("emails"), keys.canceledRuns("emails")];
    for (const key of [...queueKeys, keys.run(run), keys.stream(run, "approval")]) {
      expect(key.startsWith("app:")).toBe(true);
      expect(hashTag(key)).toBe(tag);
    }
    expect(hashTag(keys.run(createRunId("exports")))).toBe(queueTag("exports"));
    expect(keys.run(run)).not.toBe(keys.run(createRunId("emails")));
    expect(hashTag(keys.taskRegistry())).toBe(hashTag(keys.queueRegistry()));
  });

  it("keeps the keys of two queues that share a tag apart", () => {
    expect(keys.delays("emails")).not.toBe(keys.delays("exports"));
    expect(keys.delays("emails")).toContain(":emails:");
  });

  it("gives a job id that is not a run id (a job added by hand) its own hash tag", () => {
    expect(hashTag(keys.run("42"))).toBe("42");
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
