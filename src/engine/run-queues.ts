/**
 * Which queue a run is on, from its id alone: a run id carries its queue's tag (engine/ids.ts,
 * redis/keys.ts), and the registry of queues (every queue a run was triggered on) says which
 * queue names have that tag — one as a rule; two queues may share a tag, and then the run's job
 * tells them apart (run-reader.ts). A run needs no record of its own to be found.
 *
 * Each process keeps the registry it last read, and reads it again when an id carries a tag it
 * does not know, or when the run is on none of the queues it knows (a queue new since); reads
 * made at the same time share one round trip.
 */
import { queueTag, runTag } from "../redis/keys.js";
import type { Runtime } from "./runtime.js";

/** Queue names by tag, as last read, and a reading under way. */
interface Registry {
  byTag?: Map<string, string[]>;
  reading?: Promise<Map<string, string[]>>;
}

const registries = new WeakMap<Runtime, Registry>();

function readRegistry(runtime: Runtime, registry: Registry): Promise<Map<string, string[]>> {
  registry.reading ??= runtime.client
    .smembers(runtime.keys.queueRegistry())
    .then((names) => {
      const byTag = new Map<string, string[]>();
      for (const name of names.sort()) {
        const tag = queueTag(name);
        const named = byTag.get(tag);
        if (named) named.push(name);
        else byTag.set(tag, [name]);
      }
      registry.byTag = byTag;
      return byTag;
    })
    .finally(() => (registry.reading = undefined));
  return registry.reading;
}

/**
 * The queues run `runId` may be on: those whose tag its id carries, in name order. With `fresh`,
 * the registry is read again first: for a run found on none of the queues known so far.
 */
export async function runQueues(runtime: Runtime, runId: string, fresh = false): Promise<string[]> {
  let registry = registries.get(runtime);
  if (!registry) registries.set(runtime, (registry = {}));
  const tag = runTag(runId);
  let byTag = registry.byTag;
  if (!byTag || fresh || !byTag.has(tag)) byTag = await readRegistry(runtime, registry);
  return byTag.get(tag) ?? [];
}
