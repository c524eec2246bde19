/**
 * A fake video-rendering partner for the render-video example. Like a real one, it accepts a job
 * at once and later POSTs the result to the webhook it was given — here, after a short delay, the
 * JSON `{ status: "rendered", url }` to the waitpoint token's `url`. Unlike a real one it lives in
 * the process that submitted the job, so a worker that dies meanwhile takes the callback with it
 * (the run then times out). Nobody waits on its callback, so it logs what became of each one —
 * a refusal or a network error is never thrown away silently.
 */
import { randomUUID } from "node:crypto";

/** How long the fake render takes unless the job says otherwise. */
export const DEFAULT_RENDER_DELAY_MS = 2_500;

/** Where the partner reports its callbacks: `console` by default. */
export interface PartnerLog {
  info(message: string): void;
  error(message: string): void;
}

/** A render job, as the partner's API takes it. */
export interface RenderJob {
  videoId: string;
  /** Where to POST the result: the waitpoint token's `url`. */
  callbackUrl: string;
  /** How long the render takes, in ms. Default `DEFAULT_RENDER_DELAY_MS`. */
  delayMs?: number;
}

/** The JSON the partner POSTs to the callback URL when a render is done. */
export interface RenderedVideo {
  status: "rendered";
  url: string;
}

/** Accepts a render job: answers with the partner's job id at once, and calls back after `delayMs`. */
export function submitRender(job: RenderJob, log: PartnerLog = console): { jobId: string } {
  const jobId = `render_${randomUUID()}`;
  setTimeout(() => void callBack(jobId, job, log), job.delayMs ?? DEFAULT_RENDER_DELAY_MS);
  return { jobId };
}

async function callBack(jobId: string, job: RenderJob, log: PartnerLog): Promise<void> {
  const rendered: RenderedVideo = { status: "rendered", url: `https://cdn.example.com/renders/${encodeURIComponent(job.videoId)}.mp4` };
  const what = `fake partner: the callback for ${jobId} (video ${job.videoId})`;
  try {
    const response = await fetch(job.callbackUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rendered),
    });
    const answer = await response.text();
    if (response.ok) log.info(`${what} was answered ${response.status}: ${answer}`);
    else log.error(`${what} was refused with ${response.status}: ${answer}`);
  } catch (error) {
    log.error(`${what} failed: ${describe(error)}`);
  }
}

/** An error's message, with its cause's (fetch puts the network error there). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
