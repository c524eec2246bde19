import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { startHttpServer } from "../../src/cli/http-server.js";
import { ConfigurationError } from "../../src/index.js";
import { freePort } from "../../src/redis/redis-server-process.js";
import { useDurabull } from "../support/durabull-test-env.js";

useDurabull({ secretKey: "http-server-secret-0123456789" });

describe("the HTTP server of serve and dev", () => {
  it("says which port is taken, and how to choose another", async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const started = startHttpServer({ port, hostname: "127.0.0.1", dashboard: true });
      await expect(started).rejects.toBeInstanceOf(ConfigurationError);
      await expect(started).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use: choose another with --port`);
    } finally {
      blocker.close();
    }
  });

  it("serves the API and the dashboard on one port, and closes", async () => {
    const port = await freePort();
    const server = await startHttpServer({ port, hostname: "127.0.0.1", dashboard: true });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/dashboard/waitpoints`)).status).toBe(401);
    } finally {
      await server.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
  });
});
