/**
 * Run routes: list, retrieve, cancel and replay runs, and send a value to a run's input stream.
 */
import { z } from "zod";
import { sendToStream } from "../../engine/input-streams.js";
import { runtime } from "../../engine/runtime.js";
import { runs } from "../../sdk/runs.js";
import { defineRoute } from "../route.js";
import { commaList, countField, idParams, listOf, runDetails, runStatus, timeField } from "../schemas.js";

/** The run routes. */
export const runRoutes = [
  defineRoute({
    method: "get",
    path: "/api/v1/runs",
    summary: "List recent runs, newest first, by task, status, tag, queue and creation time",
    tag: "runs",
    access: "secret",
    query: z
      .object({
        taskIdentifier: commaList(z.string()).optional(),
        status: commaList(runStatus).optional(),
        tag: z.string().optional(),
        queue: z.string().optional(),
        from: timeField.optional(),
        to: timeField.optional(),
        limit: countField(1, 100).optional(),
      })
      .strict(),
    response: listOf(runDetails),
    handle: async ({ query }) => ({ data: await runs.list(query) }),
  }),
  defineRoute({
    method: "get",
    path: "/api/v1/runs/:id",
    summary: "Retrieve a run: status, payload, output or error, metadata, what it waits on",
    tag: "runs",
    access: "secret",
    params: idParams,
    response: runDetails,
    handle: ({ params }) => runs.retrieve(params.id),
  }),
  defineRoute({
    method: "post",
    path: "/api/v1/runs/:id/cancel",
    summary: "Cancel a run: at once if queued, delayed or parked; an executing run's signal aborts",
    tag: "runs",
    access: "secret",
    params: idParams,
    response: z.object({ id: z.string(), canceled: z.boolean(), status: runStatus }),
    handle: ({ params }) => runs.cancel(params.id),
  }),
  defineRoute({
    method: "post",
    path: "/api/v1/runs/:id/replay",
    summary: "Start a new run of the same task with the same payload and tags",
    tag: "runs",
    access: "secret",
    params: idParams,
    response: z.object({ id: z.string(), isCached: z.boolean() }),
    handle: ({ params }) => runs.replay(params.id),
  }),
  defineRoute({
    method: "post",
    path: "/api/v1/runs/:id/input-streams/:streamId",
    summary: "Send `data` to a run's input stream; it wakes the run if it waits on the stream",
    tag: "runs",
    access: "secret",
    params: z.object({ id: z.string(), streamId: z.string() }),
    body: z.object({ data: z.unknown() }).strict(),
    response: z.object({ ok: z.literal(true) }),
    handle: async ({ params, body }) => {
      await sendToStream(runtime(), params.id, params.streamId, body.data);
      return { ok: true };
    },
  }),
];
