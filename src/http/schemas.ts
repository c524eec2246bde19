/**
 * The shapes the API speaks, as zod schemas: the pieces of queries (lists, times, limits) and
 * the answers (runs, tokens, queues, errors). Requests are checked against them; the OpenAPI
 * document is generated from them; the tests check answers against them.
 */
import { z } from "zod";
import { TOKEN_STATUSES } from "../engine/waitpoint-store.js";
import { RUN_STATUSES } from "../engine/run-status.js";

/** A query field holding one value or several, comma-separated: `status=WAITING,FAILED`. */
export function commaList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((text) => text.split(",").map((part) => part.trim()).filter((part) => part.length > 0))
    .pipe(z.array(item).min(1));
}

/** A query field holding a time: an ISO 8601 date-time or milliseconds since the epoch. */
export const timeField = z
  .string()
  .transform((text, context) => {
    const time = /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
    if (Number.isNaN(time.getTime())) {
      context.addIssue({ code: "custom", message: "expected an ISO 8601 date-time or milliseconds since the epoch" });
      return z.NEVER;
    }
    return time;
  });

/** A query field holding a whole number between `min` and `max`. */
export function countField(min: number, max: number) {
  return z.string().regex(/^\d+$/, "expected a whole number").transform(Number).pipe(z.number().int().min(min).max(max));
}

/** A JSON body that must be there: anything but an empty body. */
export const anyJson = z.unknown().refine((value) => value !== undefined, "expected a JSON body");

/** Path parameter `id`. */
export const idParams = z.object({ id: z.string() });

const errorSchema = z.object({ name: z.string(), message: z.string(), code: z.string().optional(), stack: z.string().optional() });
const time = z.string().describe("ISO 8601 date-time");

/** Every error answer. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** A run's status. */
export const runStatus = z.enum(RUN_STATUSES);

/** A token's status. */
export const tokenStatus = z.enum(TOKEN_STATUSES);

/** A run, as `GET /api/v1/runs/:id` answers it. */
export const runDetails = z.object({
  id: z.string(),
  taskIdentifier: z.string(),
  queue: z.string(),
  status: runStatus,
  payload: z.unknown(),
  output: z.unknown().optional(),
  error: errorSchema.optional(),
  attemptCount: z.number().int(),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: time,
  startedAt: time.optional(),
  finishedAt: time.optional(),
  waitingOn: z
    .array(
      z.object({
        kind: z.enum(["duration", "token", "run"]),
        id: z.string().optional(),
        queue: z.string().optional(),
        stream: z.string().optional(),
        until: time,
      }),
    )
    .optional(),
});

/** A waitpoint token, as `GET /api/v1/waitpoints/tokens/:id` answers it. */
export const tokenDetails = z.object({
  id: z.string(),
  url: z.string().optional(),
  status: tokenStatus,
  createdAt: time,
  timeoutAt: time,
  completedAt: time.optional(),
  idempotencyKey: z.string().optional(),
  tags: z.array(z.string()),
  output: z.unknown().optional(),
  error: errorSchema.optional(),
  runs: z.array(z.string()),
});

/** A queue, as `GET /api/v1/queues/:name` answers it. */
export const queueDetails = z.object({
  name: z.string(),
  paused: z.boolean(),
  concurrencyLimit: z.number().int().nullable(),
  counts: z.object({
    queued: z.number().int(),
    executing: z.number().int(),
    waiting: z.number().int(),
    delayed: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
  }),
});

/** A list answer. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item) });
}
