/**
 * runScript against a private redis-server: the calls made in one turn of the event loop reach
 * Redis in one write, each answered with its own reply; a script Redis has not cached runs by its
 * text; calls made before the connection is ready wait for it.
 */
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisServerProcess } from "../../src/redis/redis-server-process.js";
import { runScript, type Script } from "../../src/redis/scripts.js";

const lua = "return {KEYS[1], ARGV[1]}";
const echo: Script = { name: "echo", numberOfKeys: 1, lua, sha: createHash("sha1").update(lua).digest("hex") };

/** How many reads of client sockets the server has made so far. */
async function readsProcessed(client: Redis): Promise<number> {
  return Number(/^total_reads_processed:(\d+)/m.exec(await client.info("stats"))![1]);
}

/** `count` calls of `echo` made in one turn, and their replies. */
function echoes(client: Redis, count: number): Promise<string[][]> {
  return Promise.all(Array.from({ length: count }, (_, index) => runScript<string[]>(client, echo, [`key:${index}`], [`value-${index}`])));
}

const expected = (count: number) => Array.from({ length: count }, (_, index) => [`key:${index}`, `value-${index}`]);

describe("runScript", () => {
  let server: RedisServerProcess;
  const clients: Redis[] = [];
  const connect = (options: { lazyConnect?: boolean } = {}) => {
    const client = new Redis(server.url, options);
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    server = await RedisServerProcess.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.quit()));
  });
  afterAll(async () => {
    await server.close();
  });

  it("sends the calls of one turn in one write, each answered with its own reply", async () => {
    const client = connect();
    await echoes(client, 1);
    const before = await readsProcessed(client);
    expect(await echoes(client, 100)).toEqual(expected(100));
    // The INFO command after is one read; 100 calls of ~60 bytes fit in one more.
    expect((await readsProcessed(client)) - before).toBeLessThanOrEqual(3);
  });

  it("runs a script Redis has not cached by its text, for every call of a batch", async () => {
    const client = connect();
    await client.script("FLUSH");
    expect(await echoes(client, 20)).toEqual(expected(20));
    expect(await client.script("EXISTS", echo.sha)).toEqual([1]);
  });

  it("answers calls made before the connection is ready once it is", async () => {
    const client = connect({ lazyConnect: true });
    expect(client.status).toBe("wait");
    expect(await echoes(client, 10)).toEqual(expected(10));
  });

  it("refuses a call with the wrong number of keys and sends nothing", async () => {
    const client = connect();
    const before = await readsProcessed(client);
    await expect(runScript(client, echo, [], ["value"])).rejects.toThrow("script echo takes 1 keys, got 0");
    expect((await readsProcessed(client)) - before).toBe(1);
  });
});
