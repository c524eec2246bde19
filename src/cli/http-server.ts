/**
 * The HTTP service as a running server: the API and, at /dashboard, the dashboard, on one port.
 * `durabull serve` and `durabull dev` start it; closing it stops accepting connections and lets
 * requests under way finish.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Server } from "node:http";
import { createDashboard } from "../../dashboard/create-dashboard.js";
import { ConfigurationError } from "../errors/configuration-error.js";
import { createApp } from "../http/create-app.js";

/** How to serve. */
export interface HttpServerOptions {
  port: number;
  hostname: string;
  /** Largest request body in bytes. */
  bodyLimit?: number;
  /** Whether to serve the dashboard at /dashboard. */
  dashboard: boolean;
}

/** A listening HTTP service. */
export interface HttpServer {
  /** Stops accepting connections and resolves once requests under way have finished. */
  close(): Promise<void>;
}

/** Starts the HTTP service and resolves once it listens. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = new Hono();
  if (options.dashboard) app.route("/dashboard", createDashboard({ basePath: "/dashboard" }));
  app.route("/", createApp(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}));
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new ConfigurationError(`Port ${options.port} on ${options.hostname} is already in use: choose another with --port (or PORT).`) : error),
    );
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
