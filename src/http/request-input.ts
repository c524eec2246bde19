/**
 * Reads a request's path parameters, query and JSON body and checks them against a route's
 * schemas: a body that is not JSON, or anything not of the route's shape, is refused with 400
 * and the zod issues as `details`, before the handler runs.
 */
import type { Context } from "hono";
import { z } from "zod";
import { HttpError } from "./http-error.js";
import type { BodyReader } from "./request-body.js";
import type { Route, RouteInput } from "./route.js";

/** Where a request's input came from, for messages. */
type Part = "path" | "query" | "body";

/** What a route takes when it declares no query: nothing. */
const NOTHING = z.object({}).strict();
/** What a route takes when it declares no body: none, or an empty object. */
const NO_BODY = NOTHING.optional();

function check(schema: z.ZodType, value: unknown, part: Part): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
  const summary = details.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : part}: ${issue.message}`).join("; ");
  throw new HttpError(400, "INVALID_REQUEST", `Invalid ${part}: ${summary}`, details);
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, "INVALID_JSON", `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The request's checked input for `route`, given its decoded path parameters; its body is read
 * by `readBody`, which refuses one over the limit.
 */
export async function readInput(
  route: Route,
  context: Context,
  pathParams: Record<string, string>,
  readBody: BodyReader,
): Promise<RouteInput<unknown, unknown, unknown>> {
  const params = route.params ? check(route.params, pathParams, "path") : {};
  const query = route.query || context.req.url.includes("?") ? check(route.query ?? NOTHING, context.req.query(), "query") : {};
  const body = check(route.body ?? NO_BODY, parseJson(await readBody(context)), "body");
  return { params, query, body };
}
