/**
 * Where a trigger by task id (`tasks.trigger("id", ...)`, the HTTP API) learns a task's queue:
 * first the tasks defined in this process, then the registry that workers publish in Redis. A
 * task in neither is unknown: triggering it is refused (UnknownTaskError) rather than leaving a
 * run in a queue no worker serves.
 */
import { ConfigurationError } from "../errors/configuration-error.js";
import { UnknownTaskError } from "../errors/unknown-task-error.js";
import type { Runtime } from "./runtime.js";
import type { TaskDefinition } from "./task-definition.js";

const local = new Map<string, TaskDefinition>();

/** Records a task defined in this process. Two different tasks may not share an id. */
export function registerLocalTask(definition: TaskDefinition): void {
  if (local.has(definition.id)) {
    throw new ConfigurationError(`A task with id "${definition.id}" is already defined in this process.`);
  }
  local.set(definition.id, definition);
}

/** The task defined in this process with this id, if any. */
export function localTask(taskId: string): TaskDefinition | undefined {
  return local.get(taskId);
}

/** What a trigger needs of a task it may not have the code of. */
export interface TaskTarget {
  taskId: string;
  queue: string;
  /** Present when the task is defined in this process: the payload is checked before enqueueing. */
  parsePayload?: (payload: unknown) => unknown;
}

/** The target for a local task definition. */
export function targetOf(definition: TaskDefinition): TaskTarget {
  return { taskId: definition.id, queue: definition.queue, parsePayload: definition.parsePayload };
}

/** Publishes tasks (id → queue) so processes without their code can trigger them by id. */
export async function publishTasks(runtime: Runtime, definitions: TaskDefinition[]): Promise<void> {
  if (definitions.length === 0) return;
  const entries = definitions.flatMap((definition) => [definition.id, JSON.stringify({ queue: definition.queue })]);
  await runtime.client
    .multi()
    .hset(runtime.keys.taskRegistry(), ...entries)
    .sadd(runtime.keys.queueRegistry(), ...new Set(definitions.map((definition) => definition.queue)))
    .exec();
}

/** The target of a known task: defined in this process, or published by a worker; undefined for neither. */
export async function findTaskTarget(runtime: Runtime, taskId: string): Promise<TaskTarget | undefined> {
  const definition = local.get(taskId);
  if (definition) return targetOf(definition);
  const published = await runtime.client.hget(runtime.keys.taskRegistry(), taskId);
  return published ? { taskId, queue: (JSON.parse(published) as { queue: string }).queue } : undefined;
}

/** Resolves a task id to its target (local definition, or published registry); UnknownTaskError if neither knows it. */
export async function resolveTaskTarget(runtime: Runtime, taskId: string): Promise<TaskTarget> {
  const target = await findTaskTarget(runtime, taskId);
  if (!target) throw new UnknownTaskError(taskId, "in this process or by any worker (start a worker for it, or import the task)");
  return target;
}
