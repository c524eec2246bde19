/**
 * durabull's Lua scripts: one `.lua` file per command in `./scripts/`, named
 * `<command>-<number of keys>.lua`, each opening with a header of its KEYS, ARGV and replies.
 * Helpers shared by several scripts live in `./scripts/includes/` and are pulled in by a line
 * `--- @include "<name>"`, as BullMQ does. Scripts run by SHA (EVALSHA), falling back to EVAL
 * when Redis has not cached them yet; the SHA names the exact text, so two deployed versions of
 * a script never mix. Calls made in one turn of the event loop are sent in one socket write.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Command, type Redis } from "ioredis";

/** A loaded script. */
export interface Script {
  name: string;
  numberOfKeys: number;
  lua: string;
  sha: string;
}

function read(path: string): string {
  return readFileSync(new URL(`./scripts/${path}`, import.meta.url), "utf8");
}

function load(file: string): Script {
  const lua = read(file).replace(/^--- @include "([a-z-]+)"$/gm, (_, name: string) => read(`includes/${name}.lua`));
  const match = /^(.+)-(\d+)\.lua$/.exec(file);
  if (!match) throw new Error(`script file ${file} is not named <command>-<keys>.lua`);
  return { name: match[1]!, numberOfKeys: Number(match[2]), lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/** Every script, by command name. */
export const scripts = {
  createToken: load("create-token-1.lua"),
  settleToken: load("settle-token-5.lua"),
  settleWait: load("settle-wait-2.lua"),
  parkWaits: load("park-waits-1.lua"),
  streamSend: load("stream-send-3.lua"),
  streamWait: load("stream-wait-2.lua"),
  streamTake: load("stream-take-2.lua"),
  expireRun: load("expire-run-1.lua"),
  expireRuns: load("expire-runs-1.lua"),
  removeSettledTokens: load("remove-settled-tokens-4.lua"),
  claimIdempotencyKey: load("claim-idempotency-key-1.lua"),
  swapIdempotencyKey: load("swap-idempotency-key-1.lua"),
  waitOnRun: load("wait-on-run-2.lua"),
  finishRun: load("finish-run-1.lua"),
  shiftPriorities: load("shift-priorities-5.lua"),
} as const;

/** A script call waiting for its batch. */
interface ScriptCall {
  script: Script;
  keys: string[];
  args: (string | number)[];
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
}

/** Calls made on each connection in this turn of the event loop, not yet sent. */
const batches = new WeakMap<Redis, ScriptCall[]>();

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("NOSCRIPT");
}

/** Runs a script by its text, which also caches it in Redis. */
function runText(client: Redis, { script, keys, args }: ScriptCall): Promise<unknown> {
  return client.eval(script.lua, keys.length, ...keys, ...args);
}

/**
 * Sends a call by SHA, falling back to EVAL when Redis has not cached the script. The command is
 * made and sent as ioredis's `Command`, not through its generic command method, which costs a
 * rest-argument copy, an options object and an auto-pipelining check per call.
 */
function send(client: Redis, call: ScriptCall): void {
  const command = new Command("evalsha", [call.script.sha, call.keys.length, ...call.keys, ...call.args], {
    replyEncoding: "utf8",
    keyPrefix: client.options.keyPrefix,
  });
  void client.sendCommand(command);
  command.promise.then(call.resolve, (error: unknown) => (isNoScript(error) ? runText(client, call).then(call.resolve, call.reject) : call.reject(error)));
}

/**
 * Sends a connection's batch in one socket write: each call is its own command (a pipeline object
 * would cost more CPU than the calls it carries), written to the socket corked and then uncorked
 * at once. A connection not ready queues the commands itself (ioredis's offline queue).
 */
function flush(client: Redis): void {
  const calls = batches.get(client)!;
  batches.delete(client);
  const socket = client.status === "ready" ? client.stream : undefined;
  socket?.cork();
  for (const call of calls) send(client, call);
  socket?.uncork();
}

/**
 * Runs `script` with its keys and arguments. Calls made on one connection in the same turn of
 * the event loop (say, many HTTP requests completing tokens) are sent together when the turn
 * ends: one socket write for all of them.
 */
export function runScript<T>(client: Redis, script: Script, keys: string[], args: (string | number)[]): Promise<T> {
  if (keys.length !== script.numberOfKeys) {
    return Promise.reject(new Error(`script ${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`));
  }
  return new Promise<T>((resolve, reject) => {
    let calls = batches.get(client);
    if (!calls) {
      batches.set(client, (calls = []));
      setImmediate(() => flush(client));
    }
    calls.push({ script, keys, args, resolve: resolve as (reply: unknown) => void, reject });
  });
}
