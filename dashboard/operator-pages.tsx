/**
 * The dashboard's own pages beside Bull Board: the waitpoints view (list, complete, force a
 * timeout) and the run view (details and journal timeline). Forms post back and redirect, so a
 * reload never repeats an action; hono/csrf refuses posts from other origins, since the browser
 * sends basic-auth credentials with any request to the dashboard.
 */
import { Hono, type Context } from "hono";
import { csrf } from "hono/csrf";
import { z } from "zod";
import { retrieveRun } from "../src/engine/run-reader.js";
import { runTimeline } from "../src/engine/run-timeline.js";
import { runtime } from "../src/engine/runtime.js";
import { completeToken, listTokens, retrieveToken, timeoutToken, type TokenDetails } from "../src/engine/tokens.js";
import { TOKEN_STATUSES } from "../src/engine/waitpoint-store.js";
import { DurabullError } from "../src/errors/durabull-error.js";
import { RunNotFoundError } from "../src/errors/run-not-found-error.js";
import { WaitpointNotFoundError } from "../src/errors/waitpoint-not-found-error.js";
import { href, Layout, type PageContext } from "./views/layout.js";
import { RunPage } from "./views/run-page.js";
import { WaitpointsPage, type WaitpointsPageProps } from "./views/waitpoints-page.js";

/** Most tokens one page lists. */
const PAGE_SIZE = 100;

const filtersSchema = z.object({
  status: z.union([z.enum(TOKEN_STATUSES), z.literal("")]).optional(),
  tag: z.string().max(200).optional(),
  token: z.string().max(200).optional(),
  done: z.string().max(300).optional(),
});

/** Tokens the filters select: one token by id, or a page of them by status and tag. */
async function findTokens(filters: z.infer<typeof filtersSchema>): Promise<TokenDetails[]> {
  if (filters.token) {
    try {
      return [await retrieveToken(runtime(), filters.token)];
    } catch (error) {
      if (error instanceof WaitpointNotFoundError) return [];
      throw error;
    }
  }
  return listTokens(runtime(), {
    limit: PAGE_SIZE,
    ...(filters.status ? { status: [filters.status] } : {}),
    ...(filters.tag ? { tags: [filters.tag] } : {}),
  });
}

/** The Hono app of the operator pages, mounted under the dashboard's base path. */
export function operatorPages(page: PageContext): Hono {
  const app = new Hono();
  app.use("*", csrf());

  const renderWaitpoints = async (context: Context, extra: Partial<WaitpointsPageProps> = {}, status: 200 | 400 | 404 = 200) => {
    const parsed = filtersSchema.safeParse(context.req.query());
    if (!parsed.success) {
      return context.html(<WaitpointsPage page={page} tokens={[]} filters={{}} notice={{ text: `Bad filter: ${z.prettifyError(parsed.error)}`, error: true }} />, 400);
    }
    const filters = parsed.data;
    const tokens = await findTokens(filters);
    const notice = extra.notice ?? (filters.done ? { text: filters.done } : undefined);
    return context.html(
      <WaitpointsPage
        page={page}
        tokens={tokens}
        filters={{ ...(filters.status ? { status: filters.status } : {}), ...(filters.tag ? { tag: filters.tag } : {}) }}
        {...(notice ? { notice } : {})}
        {...(extra.draft ? { draft: extra.draft } : {})}
      />,
      status,
    );
  };

  /** After an action: back to the list, saying what happened. */
  const done = (context: Context, text: string) => context.redirect(href(page, `/waitpoints?done=${encodeURIComponent(text)}`), 303);

  /** An action's error (unknown token, ...) shown on the list; anything else is a real failure. */
  const refused = (context: Context, error: unknown, draft?: WaitpointsPageProps["draft"]) => {
    if (!(error instanceof DurabullError)) throw error;
    return renderWaitpoints(context, { notice: { text: error.message, error: true }, ...(draft ? { draft } : {}) }, error instanceof WaitpointNotFoundError ? 404 : 400);
  };

  app.get("/waitpoints", (context) => renderWaitpoints(context));

  app.post("/waitpoints/:id/complete", async (context) => {
    const id = context.req.param("id");
    const body = await context.req.parseBody();
    const json = typeof body.output === "string" ? body.output : "";
    let output: unknown;
    try {
      output = JSON.parse(json.trim() === "" ? "{}" : json);
    } catch (error) {
      return renderWaitpoints(context, { notice: { text: `Not JSON: ${(error as Error).message}. Nothing was changed.`, error: true }, draft: { tokenId: id, json } }, 400);
    }
    try {
      const result = await completeToken(runtime(), id, output);
      return done(context, result.completed ? `Completed ${id}.` : `${id} had already settled (${result.status}); nothing changed.`);
    } catch (error) {
      return refused(context, error, { tokenId: id, json });
    }
  });

  app.post("/waitpoints/:id/timeout", async (context) => {
    const id = context.req.param("id");
    try {
      const result = await timeoutToken(runtime(), id);
      return done(context, result.timedOut ? `Timed out ${id}.` : `${id} had already settled (${result.status}); nothing changed.`);
    } catch (error) {
      return refused(context, error);
    }
  });

  app.get("/runs/:id", async (context) => {
    const id = context.req.param("id");
    try {
      const run = await retrieveRun(runtime(), id);
      const timeline = (await runTimeline(runtime(), id)) ?? [];
      return context.html(<RunPage page={page} run={run} timeline={timeline} />);
    } catch (error) {
      if (!(error instanceof RunNotFoundError)) throw error;
      return context.html(
        <Layout title="Run not found" page={page}>
          <p class="notice error">{error.message}</p>
        </Layout>,
        404,
      );
    }
  });

  return app;
}
