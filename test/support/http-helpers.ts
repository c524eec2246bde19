/**
 * Helpers for HTTP tests: serve a Hono app on a loopback port, send it JSON with the secret key
 * (or log in to the dashboard with it), and take a snapshot of every key under a prefix (to show
 * a refused request changed nothing).
 */
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Redis } from "ioredis";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";

/** A served app: its base URL, and how to stop it. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 (`port` 0 picks a free one). */
export async function serveApp(app: Hono, port = 0): Promise<Served> {
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The header of HTTP basic auth with any user name and `password` (the dashboard's login). */
export function basicAuth(password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`ops:${password}`).toString("base64")}` };
}

/** Request options for `secretRequest`. */
export interface JsonRequest {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request init with the secret key and a JSON body. */
export function withSecret(secretKey: string, { method = "GET", body, headers = {} }: JsonRequest = {}): RequestInit {
  return {
    method,
    headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  };
}

/** A digest of every key under `prefix` and its value, to compare before and after. */
export async function snapshot(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  keys.sort();
  const dumps = await keys.reduce((pipeline, key) => pipeline.dumpBuffer(key), redis.pipeline()).exec();
  const state = new Map<string, string>();
  keys.forEach((key, index) => {
    const dump = dumps?.[index]?.[1] as Buffer | null;
    if (dump) state.set(key, createHash("sha1").update(dump).digest("hex"));
  });
  return state;
}
