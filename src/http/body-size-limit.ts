/**
 * The request body limit. A body that says its length (`Content-Length`, as nearly every HTTP/1.1
 * client sends) is judged by it before a byte is read, and then read on @hono/node-server's fast
 * path; any other body (chunked, or a Request made in-process) is counted as it streams by Hono's
 * `bodyLimit`, so no body over the limit is held in memory.
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** Answers over-limit bodies with `onError`; lets the rest through. */
export function bodySizeLimit(maxSize: number, onError: (context: Context) => Response): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError });
  return async (context, next) => {
    if (context.req.method === "GET" || context.req.method === "HEAD") return next();
    const length = context.req.header("content-length");
    if (length === undefined || context.req.header("transfer-encoding") !== undefined) return streamed(context, next);
    return Number(length) > maxSize ? onError(context) : next();
  };
}
