/**
 * Example: hand work to a third party and park until it calls back. The run makes a waitpoint
 * token, gives a (fake) rendering partner the token's `url` as its webhook, and parks — no worker
 * held, no polling — until the partner POSTs its JSON to that URL, which completes the token with
 * that JSON as its output. The URL is served by durabull's HTTP service (`durabull serve`, or
 * `createApp()` mounted in your backend) at the configured `publicUrl`, and carries a signature
 * of the token id, so the partner needs no credentials; a repeated callback changes nothing.
 *
 * Run `durabull worker examples` and `durabull serve` (both with DURABULL_SECRET_KEY set), then
 * trigger it: `await renderVideo.trigger({ videoId: "intro" })`.
 */
import { z } from "zod";
import { AbortTaskRunError, schemaTask, step, wait } from "../src/index.js";
import { DEFAULT_RENDER_DELAY_MS, submitRender, type RenderedVideo } from "./support/fake-partner.js";

/** What a finished render's callback must look like; checked, since it comes from outside. */
const renderedVideo = z.object({ status: z.literal("rendered"), url: z.url() }) satisfies z.ZodType<RenderedVideo>;

/** Renders a video at the partner and returns the rendered file's URL. */
export const renderVideo = schemaTask({
  id: "render-video",
  schema: z.object({
    videoId: z.string().regex(/^[\w-]{1,64}$/),
    /** How long the fake partner takes, in ms; a real render takes minutes to hours. */
    renderDelayMs: z.number().int().min(0).default(DEFAULT_RENDER_DELAY_MS),
    /** The slowest callback we accept: size it to the partner's worst case, never leave the 10-minute default. */
    callbackTimeout: z.string().default("1h"),
  }),
  run: async ({ videoId, renderDelayMs, callbackTimeout }) => {
    // Journaled: a replay or a retry gets this same token back, so the partner's URL stays valid.
    const token = await wait.createToken({ timeout: callbackTimeout, tags: [`video:${videoId}`] });
    // Submitting is a side effect, so it is a step: a replay after the park does not submit again.
    const { jobId } = await step.run("submit-render", () => submitRender({ videoId, callbackUrl: token.url, delayMs: renderDelayMs }));

    // Parks until the callback arrives or the timeout passes. `.unwrap()` would throw the timeout,
    // and a thrown error is retried — pointless here, as a replay finds the same timed-out token —
    // so the timeout branch fails the run at once instead.
    const result = await wait.forToken(token);
    if (!result.ok) throw new AbortTaskRunError(`The partner did not call back for render ${jobId} within ${callbackTimeout}.`);
    const callback = renderedVideo.safeParse(result.output);
    if (!callback.success) throw new AbortTaskRunError(`The partner's callback for render ${jobId} is not a finished render: ${JSON.stringify(result.output)}`);
    return { videoId, jobId, url: callback.data.url };
  },
});
