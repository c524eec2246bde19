/**
 * Queue routes: list and read queues, pause and resume one, and pause or resume every queue at
 * once (the environment). An unknown queue is a 404, so a mistyped name pauses nothing.
 */
import { z } from "zod";
import { assertQueueExists } from "../../engine/queues.js";
import { runtime } from "../../engine/runtime.js";
import { queues } from "../../sdk/queues.js";
import { defineRoute } from "../route.js";
import { listOf, queueDetails } from "../schemas.js";

const nameParams = z.object({ name: z.string() });
const everyQueue = z.object({ paused: z.boolean(), queues: z.array(z.string()) });

/** `POST /api/v1/queues/:name/<action>`: pauses or resumes a known queue, answering its details. */
function switchRoute(action: "pause" | "resume", summary: string) {
  return defineRoute({
    method: "post",
    path: `/api/v1/queues/:name/${action}`,
    summary,
    tag: "queues",
    access: "secret",
    params: nameParams,
    response: queueDetails,
    handle: async ({ params }) => {
      await assertQueueExists(runtime(), params.name);
      await queues[action](params.name);
      return queues.retrieve(params.name);
    },
  });
}

/** The queue routes. */
export const queueRoutes = [
  defineRoute({
    method: "get",
    path: "/api/v1/queues",
    summary: "List queues with their counts, paused flag and concurrency limit",
    tag: "queues",
    access: "secret",
    response: listOf(queueDetails),
    handle: async () => ({ data: await queues.list() }),
  }),
  defineRoute({
    method: "get",
    path: "/api/v1/queues/:name",
    summary: "Retrieve a queue's counts, paused flag and concurrency limit",
    tag: "queues",
    access: "secret",
    params: nameParams,
    response: queueDetails,
    handle: ({ params }) => queues.retrieve(params.name),
  }),
  switchRoute("pause", "Pause a queue for every worker: no run starts or resumes until it is resumed"),
  switchRoute("resume", "Resume a paused queue"),
  defineRoute({
    method: "post",
    path: "/api/v1/environment/pause",
    summary: "Pause every queue, and queues that appear while paused",
    tag: "queues",
    access: "secret",
    response: everyQueue,
    handle: async () => ({ paused: true, queues: await queues.pauseAll() }),
  }),
  defineRoute({
    method: "post",
    path: "/api/v1/environment/resume",
    summary: "Resume every queue",
    tag: "queues",
    access: "secret",
    response: everyQueue,
    handle: async () => ({ paused: false, queues: await queues.resumeAll() }),
  }),
];
