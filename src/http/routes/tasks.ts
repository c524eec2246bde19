/**
 * Task routes: trigger a run of a task by its id. The task must be known — defined in the
 * serving process (whose payload schema then checks the payload before anything is written) or
 * published by a worker — so a mistyped id is a 404, not a run nothing will execute.
 */
import { z } from "zod";
import { resolveTaskTarget } from "../../engine/task-registry.js";
import { triggerOptionsSchema } from "../../engine/trigger.js";
import { runtime } from "../../engine/runtime.js";
import { onlyRun, trigger } from "../../sdk/triggering.js";
import { defineRoute } from "../route.js";

/** Trigger options over JSON: `delay` is a duration ("10m") or an ISO 8601 date-time. */
const httpTriggerOptions = triggerOptionsSchema.extend({
  delay: z
    .string()
    .transform((delay) => (/^\d{4}-\d{2}-\d{2}T/.test(delay) && !Number.isNaN(Date.parse(delay)) ? new Date(delay) : delay))
    .optional(),
});

/** The task routes. */
export const taskRoutes = [
  defineRoute({
    method: "post",
    path: "/api/v1/tasks/:taskId/trigger",
    summary: "Trigger a run of a task by id, with `payload` and trigger `options`",
    tag: "tasks",
    access: "secret",
    params: z.object({ taskId: z.string() }),
    body: z.object({ payload: z.unknown().optional(), options: httpTriggerOptions.optional() }).strict(),
    response: z.object({ id: z.string(), isCached: z.boolean() }),
    handle: async ({ params, body }) => {
      const target = await resolveTaskTarget(runtime(), params.taskId);
      return onlyRun(await trigger(target, [{ payload: body.payload, ...(body.options ? { options: body.options } : {}) }], false));
    },
  }),
];
