/**
 * The run view: a run's details and its journal as a timeline — each step and wait, when it
 * started and ended, and its result — with links to the tokens and runs it refers to.
 */
import type { RunDetails } from "../../src/engine/run-reader.js";
import type { TimelineEntry } from "../../src/engine/run-timeline.js";
import { Countdown, href, Json, Layout, RunLink, Status, Time, type PageContext } from "./layout.js";

/** What the page shows. */
export interface RunPageProps {
  page: PageContext;
  run: RunDetails;
  timeline: TimelineEntry[];
}

function Ref(props: { page: PageContext; id: string }) {
  if (props.id.startsWith("run_")) return <RunLink page={props.page} id={props.id} />;
  return <a href={href(props.page, `/waitpoints?token=${encodeURIComponent(props.id)}`)}>{props.id}</a>;
}

function Entry(props: { page: PageContext; entry: TimelineEntry }) {
  const { entry } = props;
  return (
    <li class={entry.endedAt ? "ended" : "pending"} data-kind={entry.kind}>
      <div>
        <span class="muted">#{entry.position}</span> <code>{entry.call}</code>
      </div>
      <div>
        started <Time at={entry.startedAt} /> · ended {entry.endedAt ? <Time at={entry.endedAt} /> : <span class="muted">not yet</span>}
        {entry.endedAt ? <span class="muted"> ({entry.endedAt.getTime() - entry.startedAt.getTime()} ms)</span> : null}
      </div>
      {entry.refs.length > 0 ? (
        <div>
          {entry.refs.map((id) => (
            <>
              <Ref page={props.page} id={id} />{" "}
            </>
          ))}
        </div>
      ) : null}
      {entry.result !== undefined ? <Json value={entry.result} /> : null}
    </li>
  );
}

/** The run page. */
export function RunPage(props: RunPageProps) {
  const { run, page } = props;
  return (
    <Layout title={`Run ${run.id}`} page={page}>
      <dl>
        <dt>Status</dt>
        <dd>
          <Status status={run.status} />
        </dd>
        <dt>Task</dt>
        <dd>
          <code>{run.taskIdentifier}</code> on queue <code>{run.queue}</code> ·{" "}
          <a href={href(page, `/queue/${encodeURIComponent(run.queue)}/${encodeURIComponent(run.id)}`)}>job in Bull Board</a>
        </dd>
        <dt>Attempt</dt>
        <dd>{run.attemptCount}</dd>
        <dt>Created</dt>
        <dd>
          <Time at={run.createdAt} />
        </dd>
        <dt>Started</dt>
        <dd>
          <Time at={run.startedAt} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Time at={run.finishedAt} />
        </dd>
        {run.waitingOn ? (
          <>
            <dt>Waiting on</dt>
            <dd>
              {run.waitingOn.map((wait) => (
                <div>
                  {wait.kind === "duration" ? "a timer" : <Ref page={page} id={wait.id} />} until <Time at={wait.until} /> <Countdown at={wait.until} />
                </div>
              ))}
            </dd>
          </>
        ) : null}
        <dt>Tags</dt>
        <dd>{run.tags.join(", ") || <span class="muted">—</span>}</dd>
        <dt>Payload</dt>
        <dd>
          <Json value={run.payload} />
        </dd>
        <dt>Metadata</dt>
        <dd>
          <Json value={run.metadata} />
        </dd>
        <dt>{run.error ? "Error" : "Output"}</dt>
        <dd>
          <Json value={run.error ?? run.output} />
        </dd>
      </dl>
      <h2>Journal</h2>
      {props.timeline.length === 0 ? (
        <p class="muted">No durable calls journaled yet.</p>
      ) : (
        <ol class="timeline">
          {props.timeline.map((entry) => (
            <Entry page={page} entry={entry} />
          ))}
        </ol>
      )}
    </Layout>
  );
}
