/**
 * The page shell of the dashboard's own pages (waitpoints, run view): navigation back to Bull
 * Board, a little CSS, and the script that keeps timeout countdowns live. Server-rendered with
 * hono/jsx; no build step, no client framework.
 */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";

/** Where the dashboard is mounted, for links. */
export interface PageContext {
  basePath: string;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2433; background: #f5f6f8; }
header { background: #1d2433; color: #fff; padding: 10px 24px; display: flex; gap: 24px; align-items: center; }
header a { color: #cdd6f4; text-decoration: none; } header a:hover { color: #fff; }
header strong { margin-right: 12px; }
main { padding: 16px 24px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
th { background: #eef0f4; font-weight: 600; }
code, pre, textarea { font: 12px/1.4 ui-monospace, monospace; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; max-width: 48ch; }
.status { padding: 2px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.WAITING { background: #fff3cd; } .COMPLETED { background: #d1f2dc; } .TIMED_OUT, .FAILED, .CRASHED, .CANCELED, .SYSTEM_FAILURE { background: #f8d7da; }
.EXECUTING, .QUEUED, .DELAYED, .PENDING_VERSION, .DEQUEUED { background: #dbe7ff; }
.notice { padding: 8px 12px; margin-bottom: 12px; background: #dbe7ff; border-radius: 4px; }
.error { background: #f8d7da; }
form.inline { display: inline-flex; gap: 6px; align-items: flex-start; margin: 0 0 6px; }
form.filters { display: flex; gap: 12px; align-items: end; margin-bottom: 12px; }
textarea { width: 28ch; height: 4.2em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; padding: 12px; }
dt { font-weight: 600; }
ol.timeline { list-style: none; padding: 0; }
ol.timeline li { background: #fff; margin-bottom: 8px; padding: 8px 12px; border-left: 4px solid #8aa4d6; }
ol.timeline li.pending { border-left-color: #e0b84c; }
.muted { color: #6b7385; }
`;

/** Turns every `[data-deadline]` (ms since the epoch) into a live "in 3m 12s" countdown. */
const COUNTDOWN_SCRIPT = `
function durabullCountdown() {
  for (const el of document.querySelectorAll("[data-deadline]")) {
    let s = Math.round((Number(el.dataset.deadline) - Date.now()) / 1000);
    if (s <= 0) { el.textContent = "due now"; continue; }
    const parts = [];
    for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]]) {
      if (s >= size || unit === "s") { parts.push(Math.floor(s / size) + unit); s %= size; }
    }
    el.textContent = "in " + parts.slice(0, 2).join(" ");
  }
}
durabullCountdown();
setInterval(durabullCountdown, 1000);
`;

/** The URL of `path` (starting with "/") under the dashboard. */
export function href(page: PageContext, path: string): string {
  return `${page.basePath.replace(/\/$/, "")}${path}`;
}

/** A dashboard page with the navigation bar. */
export function Layout(props: { title: string; page: PageContext; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{props.title} · durabull</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header>
          <strong>durabull</strong>
          <a href={props.page.basePath}>Queues (Bull Board)</a>
          <a href={href(props.page, "/waitpoints")}>Waitpoints</a>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <script>{raw(COUNTDOWN_SCRIPT)}</script>
      </body>
    </html>
  );
}

/** A timestamp, readable and exact: ISO 8601 to the second, in UTC. */
export function Time(props: { at: Date | undefined }) {
  if (!props.at) return <span class="muted">—</span>;
  const iso = props.at.toISOString();
  return <time datetime={iso}>{iso.replace("T", " ").replace(/\.\d+Z$/, "Z")}</time>;
}

/** A live countdown to `at`. */
export function Countdown(props: { at: Date }) {
  return <span class="countdown" data-deadline={String(props.at.getTime())} />;
}

/** A JSON value, pretty-printed; nothing for undefined. */
export function Json(props: { value: unknown }) {
  if (props.value === undefined) return <span class="muted">—</span>;
  return <pre>{JSON.stringify(props.value, null, 2)}</pre>;
}

/** A status badge. */
export function Status(props: { status: string }) {
  return <span class={`status ${props.status}`}>{props.status}</span>;
}

/** A link to a run's view. */
export function RunLink(props: { page: PageContext; id: string }) {
  return <a href={href(props.page, `/runs/${encodeURIComponent(props.id)}`)}>{props.id}</a>;
}
