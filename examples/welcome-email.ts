/**
 * Example: a welcome sequence. Sends a welcome email, waits a day (parked in Redis, no
 * worker held), then sends a tips email — each send a step, so a crash or retry never sends
 * twice. Run it with `durabull worker examples` and trigger it from anywhere.
 */
import { z } from "zod";
import { schemaTask, step, wait } from "../src/index.js";

/** Pretend mail API: where a real task would call its provider, forwarding `signal`. */
async function sendMail(to: string, template: string, signal: AbortSignal): Promise<{ messageId: string }> {
  signal.throwIfAborted();
  return { messageId: `${template}-${to}-${Date.now()}` };
}

export const welcomeSequence = schemaTask({
  id: "welcome-sequence",
  schema: z.object({ email: z.email(), tipsAfterSeconds: z.number().positive().default(86_400) }),
  retry: { maxAttempts: 5, minTimeoutInMs: 1_000, maxTimeoutInMs: 30_000 },
  run: async ({ email, tipsAfterSeconds }, { signal }) => {
    const welcome = await step.run("send-welcome", () => sendMail(email, "welcome", signal));
    await wait.for({ seconds: tipsAfterSeconds });
    const tips = await step.run("send-tips", () => sendMail(email, "tips", signal));
    return { welcome: welcome.messageId, tips: tips.messageId };
  },
});
