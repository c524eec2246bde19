/**
 * runScript and runScriptItem against a private redis-server: the calls made in one turn of the
 * event loop reach Redis in one write, each answered with its own reply; items made in a row are
 * one call, run in the order they were made, an item's error failing its caller alone; a script
 * Redis has not cached runs by its text; calls made before the connection is ready wait for it.
 */
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisServerProcess } from "../../src/redis/redis-server-process.js";
import { runScript, runScriptItem, type Script } from "../../src/redis/scripts.js";

function script(name: string, lua: string): Script {
  return { name, numberOfKeys: 1, lua, sha: createHash("sha1").update(lua).digest("hex") };
}

const echo = script("echo", "return {KEYS[1], ARGV[1]}");
/** Pushes each item onto list KEYS[1] and answers it prefixed with ARGV[1]; the item "bad" is answered with an error. */
const prefixItems = script(
  "prefix-items",
  `local replies = {}
for i = 2, #ARGV do
  redis.call("RPUSH", KEYS[1], ARGV[i])
  table.insert(replies, ARGV[i] == "bad" and redis.error_reply("bad item") or ARGV[1] .. ARGV[i])
end
return replies`,
);
const push = script("push", `return redis.call("RPUSH", KEYS[1], ARGV[1])`);

/** How many scripts the server has run by SHA so far. */
async function scriptCalls(client: Redis): Promise<number> {
  return Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(await client.info("commandstats"))?.[1] ?? 0);
}

/** Item `item` of `prefixItems` on list `list`, after `leading`. */
const item = (client: Redis, list: string, leading: string, value: string) => runScriptItem<string>(client, prefixItems, [list], [leading], [value]);

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

  it("sends the items made in a row in one turn as one call, each answered with its own reply", async () => {
    const client = connect();
    await item(client, "warm-up", "p-", "0");
    const before = await scriptCalls(client);
    const values = Array.from({ length: 100 }, (_, index) => `item-${index}`);
    expect(await Promise.all(values.map((value) => item(client, "items", "p-", value)))).toEqual(values.map((value) => `p-${value}`));
    expect((await scriptCalls(client)) - before).toBe(1);
    expect(await client.lrange("items", 0, -1)).toEqual(values);
  });

  it("runs calls in the order they were made: another call, or other keys or leading arguments, starts a new call", async () => {
    const client = connect();
    await item(client, "warm-up", "p-", "0");
    await runScript(client, push, ["warm-up"], ["0"]);
    const before = await scriptCalls(client);
    const replies = await Promise.all([
      item(client, "order", "x-", "a"),
      item(client, "order", "x-", "b"),
      runScript(client, push, ["order"], ["c"]),
      item(client, "order", "x-", "d"),
      item(client, "order", "y-", "e"),
      item(client, "elsewhere", "y-", "f"),
    ]);
    expect(replies).toEqual(["x-a", "x-b", 3, "x-d", "y-e", "y-f"]);
    expect(await client.lrange("order", 0, -1)).toEqual(["a", "b", "c", "d", "e"]);
    expect((await scriptCalls(client)) - before).toBe(5);
  });

  it("rejects only the caller whose item failed, and every caller when the call itself fails", async () => {
    const client = connect();
    const outcomes = await Promise.allSettled(["one", "bad", "two"].map((value) => item(client, "mixed", "p-", value)));
    expect(outcomes).toMatchObject([
      { status: "fulfilled", value: "p-one" },
      { status: "rejected", reason: { message: "bad item" } },
      { status: "fulfilled", value: "p-two" },
    ]);
    await client.set("not-a-list", "text");
    const failed = await Promise.allSettled(["one", "two"].map((value) => item(client, "not-a-list", "p-", value)));
    expect(failed.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    expect((failed[0] as PromiseRejectedResult).reason.message).toMatch(/WRONGTYPE/);
  });

  it("runs the items of a script Redis has not cached by its text", async () => {
    const client = connect();
    await client.script("FLUSH");
    expect(await Promise.all(["a", "b"].map((value) => item(client, "uncached", "p-", value)))).toEqual(["p-a", "p-b"]);
    expect(await client.script("EXISTS", prefixItems.sha)).toEqual([1]);
  });

  it("refuses a call with the wrong number of keys and sends nothing", async () => {
    const client = connect();
    const before = await readsProcessed(client);
    await expect(runScript(client, echo, [], ["value"])).rejects.toThrow("script echo takes 1 keys, got 0");
    await expect(runScriptItem(client, prefixItems, [], [], ["value"])).rejects.toThrow("script prefix-items takes 1 keys, got 0");
    expect((await readsProcessed(client)) - before).toBe(1);
  });
});
