/**
 * `createApp`: durabull's HTTP service as a Hono app — the routes a partner's webhook, a browser
 * and an operator call (waitpoint tokens, runs, tasks, queues), a health route and the OpenAPI
 * document. Mount it in a Hono app of yours, serve it alone with `@hono/node-server`
 * (`durabull serve`), or hand its `fetch` to Express or Fastify.
 *
 * Every request is checked before anything is changed: its credential, then its path and query
 * against the route's schemas, then its body's size and the body itself. A refused request changes
 * nothing.
 */
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { z } from "zod";
import type { Logger } from "../config/logger.js";
import { checkOptions } from "../engine/check-options.js";
import { requireSecretKey } from "../engine/token-credentials.js";
import { runtime } from "../engine/runtime.js";
import { checkAccess } from "./access.js";
import { errorResponse } from "./error-response.js";
import { HttpError } from "./http-error.js";
import { openApiDocument } from "./openapi.js";
import { bodyReader, type BodyReader } from "./request-body.js";
import { readInput } from "./request-input.js";
import type { Route } from "./route.js";
import { healthRoute } from "./routes/health.js";
import { queueRoutes } from "./routes/queues.js";
import { runRoutes } from "./routes/runs.js";
import { taskRoutes } from "./routes/tasks.js";
import { tokenRoutes } from "./routes/tokens.js";

/** Options of `createApp`. */
export interface AppOptions {
  /** The largest request body accepted, in bytes; larger ones get 413. Default 1 MB. */
  bodyLimit?: number;
}

/** Every route of the API. */
export const API_ROUTES: Route[] = [...tokenRoutes, ...runRoutes, ...taskRoutes, ...queueRoutes, healthRoute];

/** The path of the route browsers call, the one route with CORS. */
const BROWSER_COMPLETION_PATH = "/api/v1/waitpoints/tokens/:id/complete";

const optionsSchema = z.object({ bodyLimit: z.number().int().min(1).optional() }).strict();

function handler(route: Route, secretKey: string, readBody: BodyReader) {
  return async (context: Context): Promise<Response> => {
    const params = context.req.param();
    const verifying = checkAccess(route.access, context, secretKey, params);
    if (verifying) await verifying;
    const input = await readInput(route, context, params, readBody);
    if (route.access !== "open") runtime().assertRedisReachable(() => `${context.req.method} ${context.req.path}`);
    return context.json((await route.handle(input)) as object);
  };
}

/**
 * The HTTP service. Needs the secret key (`configure({ secretKey })` or `DURABULL_SECRET_KEY`):
 * operators send it as `Authorization: Bearer <secret key>`, and it signs token URLs and public
 * access tokens.
 *
 * @example
 * import { serve } from "@hono/node-server";
 * serve({ fetch: createApp().fetch, port: 3030 });
 *
 * @example
 * // inside your own Hono app, with publicUrl "https://api.example.com/durabull":
 * app.route("/durabull", createApp());
 */
export function createApp(options: AppOptions = {}): Hono {
  const checked = checkOptions(optionsSchema, options, "createApp options");
  const { settings } = runtime();
  const secretKey = requireSecretKey(settings.secretKey, "The HTTP service");
  const logger: Logger = settings.logger;
  const maxSize = checked.bodyLimit ?? 1024 * 1024;

  const app = new Hono();
  app.onError((error, context) => errorResponse(context, error, logger));
  app.notFound((context) => errorResponse(context, new HttpError(404, "NOT_FOUND", `No route ${context.req.method} ${context.req.path}.`), logger));
  app.use(
    BROWSER_COMPLETION_PATH,
    cors({ origin: "*", allowMethods: ["POST", "OPTIONS"], allowHeaders: ["Authorization", "Content-Type"], maxAge: 600 }),
  );
  const readBody = bodyReader(maxSize);
  for (const route of API_ROUTES) app.on(route.method.toUpperCase(), route.path, handler(route, secretKey, readBody));
  const document = openApiDocument(API_ROUTES);
  app.get("/api/v1/openapi.json", (context) => context.json(document));
  return app;
}
