/**
 * Starts one private redis-server for the whole test run (on a free port, in a temporary
 * directory, removed afterwards) and hands its URL to the test files. REDIS_URL points the
 * tests at an existing server instead.
 */
import type { TestProject } from "vitest/node";
import { RedisServerProcess } from "../../src/redis/redis-server-process.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.REDIS_URL;
  if (external) {
    project.provide("redisUrl", external);
    return undefined;
  }
  const server = await RedisServerProcess.start();
  project.provide("redisUrl", server.url);
  return () => server.close();
}
