/**
 * The health route: whether the service is up and Redis answers, for load balancers and
 * orchestrators. Open to anyone; it says nothing but up or down.
 */
import { z } from "zod";
import { runtime } from "../../engine/runtime.js";
import { HttpError } from "../http-error.js";
import { defineRoute } from "../route.js";

/** How long Redis gets to answer a health check's PING. */
const PING_TIMEOUT_MS = 1_000;

async function redisAnswers(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
  try {
    return await Promise.race([runtime().client.ping().then(() => true as const, () => false as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The health route. */
export const healthRoute = defineRoute({
  method: "get",
  path: "/api/v1/health",
  summary: "Whether the service is up and Redis answers (503 when it does not)",
  tag: "service",
  access: "open",
  response: z.object({ status: z.literal("ok"), redis: z.literal("up") }),
  handle: async () => {
    if (!(await redisAnswers())) throw new HttpError(503, "REDIS_UNAVAILABLE", "Redis does not answer.");
    return { status: "ok", redis: "up" };
  },
});
