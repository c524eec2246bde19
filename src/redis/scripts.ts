/**
 * durabull's Lua scripts: one `.lua` file per command in `./scripts/`, named
 * `<command>-<number of keys>.lua`, each opening with a header of its KEYS, ARGV and replies.
 * Helpers shared by several scripts live in `./scripts/includes/` and are pulled in by a line
 * `--- @include "<name>"`, as BullMQ does. Scripts run by SHA (EVALSHA), falling back to EVAL
 * when Redis has not cached them yet; the SHA names the exact text, so two deployed versions of
 * a script never mix.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

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
  createToken: load("create-token-2.lua"),
  settleToken: load("settle-token-3.lua"),
  settleWait: load("settle-wait-1.lua"),
  parkWaits: load("park-waits-1.lua"),
  streamSend: load("stream-send-2.lua"),
  streamWait: load("stream-wait-2.lua"),
  expireRun: load("expire-run-1.lua"),
  removeSettledTokens: load("remove-settled-tokens-3.lua"),
  claimIdempotencyKey: load("claim-idempotency-key-1.lua"),
  swapIdempotencyKey: load("swap-idempotency-key-1.lua"),
  waitOnRun: load("wait-on-run-1.lua"),
  finishRun: load("finish-run-1.lua"),
  shiftPriorities: load("shift-priorities-5.lua"),
} as const;

/** Runs `script` with its keys and arguments. */
export async function runScript<T>(client: Redis, script: Script, keys: string[], args: (string | number)[]): Promise<T> {
  if (keys.length !== script.numberOfKeys) {
    throw new Error(`script ${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
  }
  try {
    return (await client.evalsha(script.sha, keys.length, ...keys, ...args)) as T;
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return (await client.eval(script.lua, keys.length, ...keys, ...args)) as T;
  }
}

/** Makes sure Redis has `script` cached, so a pipeline may call it by SHA (EVALSHA). */
export async function loadScript(client: Redis, script: Script): Promise<void> {
  await client.script("LOAD", script.lua);
}
