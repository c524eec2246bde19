/**
 * durabull's Lua scripts: one `.lua` file per command in `./scripts/`, named
 * `<command>-<number of keys>.lua`, each opening with a header of its KEYS, ARGV and replies.
 * Helpers shared by several scripts live in `./scripts/includes/` and are pulled in by a line
 * `--- @include "<name>"`, as BullMQ does. Scripts run by SHA (EVALSHA), falling back to EVAL
 * when Redis has not cached them yet; the SHA names the exact text, so two deployed versions of
 * a script never mix. Calls made in one turn of the event loop are sent in one socket write; the
 * items of a script that takes many (`runScriptItem`) made in a row are sent as one call.
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
  settleTokens: load("settle-tokens-2.lua"),
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

/** What to do with a reply, or with the error in its place. */
interface Handlers {
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
}

/** A script call waiting for its batch. */
interface ScriptCall extends Handlers {
  script: Script;
  keys: string[];
  args: (string | number)[];
}

/** A call carrying the items of several callers (`runScriptItem`), one after another. */
interface ItemsCall extends ScriptCall {
  /** The arguments before the items: a later item with the same script, keys and these joins it. */
  leading: (string | number)[];
  callers: Handlers[];
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

/** The calls of this turn on `client`, sent when the turn ends. */
function pendingCalls(client: Redis): ScriptCall[] {
  let calls = batches.get(client);
  if (!calls) {
    batches.set(client, (calls = []));
    setImmediate(() => flush(client));
  }
  return calls;
}

function checkKeys(script: Script, keys: string[]): Error | undefined {
  return keys.length === script.numberOfKeys ? undefined : new Error(`script ${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
}

/**
 * Runs `script` with its keys and arguments. Calls made on one connection in the same turn of
 * the event loop (say, many HTTP requests completing tokens) are sent together when the turn
 * ends: one socket write for all of them.
 */
export function runScript<T>(client: Redis, script: Script, keys: string[], args: (string | number)[]): Promise<T> {
  const wrongKeys = checkKeys(script, keys);
  if (wrongKeys) return Promise.reject(wrongKeys);
  return new Promise<T>((resolve, reject) => {
    pendingCalls(client).push({ script, keys, args, resolve: resolve as (reply: unknown) => void, reject });
  });
}

function sameValues<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** Whether an item of `script` with these keys and leading arguments can join call `call`. */
function joins(call: ScriptCall | undefined, script: Script, keys: string[], leading: (string | number)[]): call is ItemsCall {
  return call !== undefined && "callers" in call && call.script === script && sameValues(call.keys, keys) && sameValues((call as ItemsCall).leading, leading);
}

/** A new call for items of `script` that share `keys` and the `leading` arguments. */
function itemsCall(script: Script, keys: string[], leading: (string | number)[]): ItemsCall {
  const call: ItemsCall = {
    script,
    keys,
    args: [...leading],
    leading,
    callers: [],
    resolve: (replies) => answerItems(call, replies),
    reject: (error) => call.callers.forEach((caller) => caller.reject(error)),
  };
  return call;
}

/** Hands each caller of an items call its item's reply; an error in an item's place rejects that caller alone. */
function answerItems(call: ItemsCall, replies: unknown): void {
  call.callers.forEach(({ resolve, reject }, index) => {
    const reply = Array.isArray(replies) ? (replies[index] as unknown) : undefined;
    if (reply === undefined) reject(new Error(`script ${call.script.name} answered no reply for item ${index + 1} of ${call.callers.length}`));
    else if (reply instanceof Error) reject(reply);
    else resolve(reply);
  });
}

/**
 * Runs one item of a script that takes any number of them after its leading arguments and answers
 * one reply per item. Items made on one connection in a row in the same turn of the event loop,
 * with the same script, keys and leading arguments, go to Redis as one call: Redis and ioredis
 * then handle one command, not one per item, and the calls still run in the order they were made.
 */
export function runScriptItem<T>(client: Redis, script: Script, keys: string[], leading: (string | number)[], item: (string | number)[]): Promise<T> {
  const wrongKeys = checkKeys(script, keys);
  if (wrongKeys) return Promise.reject(wrongKeys);
  return new Promise<T>((resolve, reject) => {
    const calls = pendingCalls(client);
    const last = calls.at(-1);
    const call = joins(last, script, keys, leading) ? last : itemsCall(script, keys, leading);
    if (call !== last) calls.push(call);
    call.args.push(...item);
    call.callers.push({ resolve: resolve as (reply: unknown) => void, reject });
  });
}
