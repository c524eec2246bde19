/**
 * The server side of the HTTP bench, run as a child process so that the load generator does not
 * share its event loop: `BENCH_HTTP_APP=durabull` serves `createApp()` (configured from the
 * `DURABULL_*` environment), `BENCH_HTTP_APP=floor` the hand-written floor (`floor-app.ts`), and
 * `BENCH_HTTP_APP=trivial` a Hono app with one route answering `{ ok: true }`. All on
 * @hono/node-server, on `PORT`; prints "listening" when ready.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../src/index.js";
import { floorApp } from "./floor-app.js";

function app(kind: string | undefined): Hono {
  if (kind === "trivial") return new Hono().post("/trivial", (context) => context.json({ ok: true }));
  const { DURABULL_REDIS_URL, DURABULL_SECRET_KEY, DURABULL_PREFIX } = process.env;
  if (kind === "floor") return floorApp(DURABULL_REDIS_URL!, DURABULL_SECRET_KEY!, `${DURABULL_PREFIX}:bench-floor`);
  return createApp();
}

const server = serve({ fetch: app(process.env.BENCH_HTTP_APP).fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
server.once("listening", () => console.log("listening"));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
