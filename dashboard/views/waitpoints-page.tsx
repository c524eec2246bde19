/**
 * The waitpoints view: tokens filtered by status and tag, newest first, each with the runs parked
 * on it and a live countdown to its timeout; a WAITING token can be completed with a JSON payload
 * or timed out from here.
 */
import type { TokenDetails } from "../../src/engine/tokens.js";
import { TOKEN_STATUSES, type TokenStatus } from "../../src/engine/waitpoint-store.js";
import { Countdown, href, Json, Layout, RunLink, Status, Time, type PageContext } from "./layout.js";

/** What the page shows. */
export interface WaitpointsPageProps {
  page: PageContext;
  tokens: TokenDetails[];
  filters: { status?: TokenStatus; tag?: string };
  /** A message about what the last action did. */
  notice?: { text: string; error?: boolean };
  /** The JSON an operator typed, kept when it was refused. */
  draft?: { tokenId: string; json: string };
}

function TokenActions(props: { page: PageContext; token: TokenDetails; draft?: string }) {
  const action = (verb: string) => href(props.page, `/waitpoints/${encodeURIComponent(props.token.id)}/${verb}`);
  return (
    <div>
      <form class="inline" method="post" action={action("complete")}>
        <textarea name="output" aria-label={`Output for ${props.token.id}`}>
          {props.draft ?? "{}"}
        </textarea>
        <button type="submit">Complete</button>
      </form>
      <form class="inline" method="post" action={action("timeout")}>
        <button type="submit">Force timeout</button>
      </form>
    </div>
  );
}

function TokenRow(props: { page: PageContext; token: TokenDetails; draft?: string }) {
  const { token } = props;
  return (
    <tr data-token={token.id}>
      <td>
        <code>{token.id}</code>
        {token.idempotencyKey !== undefined ? <div class="muted">key {token.idempotencyKey}</div> : null}
      </td>
      <td>
        <Status status={token.status} />
      </td>
      <td>{token.tags.join(", ")}</td>
      <td>
        <Time at={token.createdAt} />
      </td>
      <td>
        <Time at={token.timeoutAt} />
        {token.status === "WAITING" ? (
          <div>
            <Countdown at={token.timeoutAt} />
          </div>
        ) : null}
      </td>
      <td>
        {token.runs.map((id) => (
          <div>
            <RunLink page={props.page} id={id} />
          </div>
        ))}
      </td>
      <td>
        {token.status === "WAITING" ? (
          <TokenActions page={props.page} token={token} {...(props.draft !== undefined ? { draft: props.draft } : {})} />
        ) : (
          <>
            <Time at={token.completedAt} />
            <Json value={token.output ?? token.error} />
          </>
        )}
      </td>
    </tr>
  );
}

/** The waitpoints page. */
export function WaitpointsPage(props: WaitpointsPageProps) {
  const { page, filters } = props;
  return (
    <Layout title="Waitpoints" page={page}>
      {props.notice ? <div class={props.notice.error ? "notice error" : "notice"}>{props.notice.text}</div> : null}
      <form class="filters" method="get" action={href(page, "/waitpoints")}>
        <label>
          Status{" "}
          <select name="status">
            <option value="">any</option>
            {TOKEN_STATUSES.map((status) => (
              <option value={status} selected={filters.status === status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tag <input name="tag" value={filters.tag ?? ""} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {props.tokens.length === 0 ? (
        <p class="muted">No tokens match.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Token</th>
              <th>Status</th>
              <th>Tags</th>
              <th>Created</th>
              <th>Times out</th>
              <th>Runs</th>
              <th>Complete / result</th>
            </tr>
          </thead>
          <tbody>
            {props.tokens.map((token) => (
              <TokenRow page={page} token={token} {...(props.draft?.tokenId === token.id ? { draft: props.draft.json } : {})} />
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
