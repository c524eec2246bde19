/**
 * Reads a request's body as text, refusing one over the size limit with 413 before it is held in
 * memory. A body that says its length (`Content-Length`, as nearly every HTTP/1.1 client sends) is
 * judged by it before a byte is read, and then read on @hono/node-server's fast path; any other
 * body (chunked, or a Request made in-process) is counted as it streams by Hono's `bodyLimit`.
 * Routes read their bodies here, after the credential is checked, rather than in a middleware in
 * front of every route: a route with one handler takes Hono's shorter dispatch.
 */
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HttpError } from "./http-error.js";

function tooLarge(maxSize: number): HttpError {
  return new HttpError(413, "PAYLOAD_TOO_LARGE", `The body is over the limit of ${maxSize} bytes.`);
}

/**
 * A header that says how the body is framed. Served by @hono/node-server, it is read from Node's
 * own parsed headers (`c.env.incoming`): asking the Request instead builds a Fetch `Headers` of
 * every header, which costs more than the rest of the size check.
 */
function framingHeader(context: Context, name: "content-length" | "transfer-encoding"): string | undefined {
  const incoming = (context.env as Partial<HttpBindings> | undefined)?.incoming;
  return incoming ? incoming.headers[name] : context.req.header(name);
}

/** Reads a request's body as text ("" for none), rejecting with a 413 HttpError when it is over the limit. */
export type BodyReader = (context: Context) => Promise<string>;

/**
 * The body reader for a limit of `maxSize` bytes, made once per app. Not an async function: a
 * declared length's body is Hono's own promise, with no promise around it.
 */
export function bodyReader(maxSize: number): BodyReader {
  const counted = bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge(maxSize);
    },
  });
  /** A body of undeclared length, counted as it streams. */
  const readCounted = async (context: Context): Promise<string> => {
    let text = "";
    await counted(context, async () => {
      text = await context.req.text();
    });
    return text;
  };
  return (context) => {
    if (context.req.method === "GET" || context.req.method === "HEAD") return Promise.resolve("");
    const length = framingHeader(context, "content-length");
    if (length === undefined || framingHeader(context, "transfer-encoding") !== undefined) return readCounted(context);
    return Number(length) > maxSize ? Promise.reject(tooLarge(maxSize)) : context.req.text();
  };
}
