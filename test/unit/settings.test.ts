import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { resolveSettings } from "../../src/config/settings.js";
import { ConfigurationError } from "../../src/errors/configuration-error.js";

describe("resolveSettings", () => {
  it("defaults without options or environment", () => {
    const settings = resolveSettings({}, {});
    expect(settings).toMatchObject({
      connection: "redis://127.0.0.1:6379",
      prefix: "durabull",
      secretKey: undefined,
      publicUrl: "http://localhost:3030",
      retentionMs: 7 * 86_400_000,
      inputStreamLimit: 1_000,
    });
  });

  it("reads the DURABULL_* environment", () => {
    const settings = resolveSettings({}, {
      DURABULL_REDIS_URL: "redis://cache:6380/2",
      DURABULL_PREFIX: "shop",
      DURABULL_SECRET_KEY: "s".repeat(32),
      DURABULL_PUBLIC_URL: "https://jobs.example.com/",
      DURABULL_RETENTION: "3d",
      DURABULL_INPUT_STREAM_LIMIT: "50",
    });
    expect(settings).toMatchObject({
      connection: "redis://cache:6380/2",
      prefix: "shop",
      secretKey: "s".repeat(32),
      publicUrl: "https://jobs.example.com",
      retentionMs: 3 * 86_400_000,
      inputStreamLimit: 50,
    });
  });

  it("prefers options over the environment, and takes ioredis options or an instance", () => {
    expect(resolveSettings({ prefix: "mine" }, { DURABULL_PREFIX: "env" }).prefix).toBe("mine");
    expect(resolveSettings({ connection: { host: "10.0.0.1", port: 6379 } }, {}).connection).toEqual({ host: "10.0.0.1", port: 6379 });
    const instance = new Redis({ lazyConnect: true });
    expect(resolveSettings({ connection: instance }, {}).connection).toBe(instance);
    instance.disconnect();
  });

  it.each([
    [{ connection: "http://localhost:6379" }, /redis:\/\/ or rediss:\/\/ URL/],
    [{ prefix: "{tagged}" }, /prefix must start with a letter or digit/],
    [{ publicUrl: "ftp://x" }, /publicUrl must be an http\(s\) URL/],
    [{ secretKey: "short" }, /secretKey must be at least 16 characters/],
    [{ retention: "forever" }, /retention must be a duration/],
    [{ inputStreamLimit: 0 }, /inputStreamLimit must be a whole number of at least 1/],
  ])("rejects %j", (options, message) => {
    expect(() => resolveSettings(options, {})).toThrow(ConfigurationError);
    expect(() => resolveSettings(options, {})).toThrow(message);
  });
});
