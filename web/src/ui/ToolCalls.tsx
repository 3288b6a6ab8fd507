import type { Choice } from "../run/conversation";
import type { RunView, ToolCallView } from "../run/views";
import { formatCost, formatDue, formatLatency, formatTokens, prettyJson } from "./format";

const TOOL_STATUS: Record<string, string> = {
  awaiting_approval: "Awaiting approval",
  awaiting_result: "Waiting for the app",
  denied: "Denied",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export type Decide = (runId: string, stepId: string, approved: boolean) => void;

interface Props {
  readonly runs: readonly RunView[];
  /** The choices made on waiting calls so far, by step id. */
  readonly choices?: ReadonlyMap<string, Choice>;
  /** Approve (true) or Deny (false) pressed on a waiting call; without it, waiting calls show no buttons. */
  readonly onDecide?: Decide;
}

export function ToolCalls({ runs, choices = new Map(), onDecide }: Props) {
  const shown = runs.filter((r) => r.toolCalls.length > 0 || r.modelCalls.length > 0);
  return (
    <section class="tool-calls" role="region" aria-label="Tool calls">
      <h2>Tool calls</h2>
      {shown.length === 0 && <p class="muted">No tool calls yet.</p>}
      {[...shown].reverse().map((run) => (
        <div class="run" key={run.runId} data-run-id={run.runId}>
          <h3>
            Run {run.number} <span class={`badge ${run.status}`}>{run.status.replace("_", " ")}</span>
          </h3>
          {run.toolCalls.length > 0 && (
            <ul class="tool-list">
              {run.toolCalls.map((call) => (
                <li key={call.stepId} data-step-id={call.stepId} data-status={call.status} class={`tool ${call.status}`}>
                  <div class="tool-head">
                    <span class="tool-name">{call.tool}</span>
                    <span class={`badge ${call.status}`}>{TOOL_STATUS[call.status] ?? call.status}</span>
                    {call.latencyMs !== undefined && <span class="latency">{formatLatency(call.latencyMs)}</span>}
                  </div>
                  <details open>
                    <summary>Arguments</summary>
                    <pre class="tool-arguments" id={argumentsId(call)}>{prettyJson(call.arguments)}</pre>
                  </details>
                  {call.progress.length > 0 && (
                    <ul class="tool-progress" aria-label="Progress">
                      {call.progress.map((p, i) => <li key={i}>{p}</li>)}
                    </ul>
                  )}
                  {call.output !== undefined && (
                    <details open>
                      <summary>Output</summary>
                      <pre class="tool-output">{prettyJson(call.output)}</pre>
                    </details>
                  )}
                  {call.status === "awaiting_approval" && onDecide && (
                    <Approval
                      call={call}
                      choice={choices.get(call.stepId)}
                      oneOfSeveral={run.toolCalls.filter((c) => c.status === "awaiting_approval").length > 1}
                      decide={(approved) => onDecide(run.runId, call.stepId, approved)}
                    />
                  )}
                  {call.status === "awaiting_result" && (
                    <AppCall
                      call={call}
                      choice={choices.get(call.stepId)}
                      withOthers={run.toolCalls.some((c) => c.status === "awaiting_approval")}
                      {...(onDecide ? { deny: () => onDecide(run.runId, call.stepId, false) } : {})}
                    />
                  )}
                  {call.error !== undefined &&
                    (call.status === "denied"
                      ? <p class="tool-denied">Not run: {call.error}</p>
                      : <p class="tool-error">Error: {call.error}</p>)}
                </li>
              ))}
            </ul>
          )}
          {run.modelCalls.length > 0 && (
            <table class="model-calls">
              <caption>Model calls</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Tokens in / out</th>
                  <th scope="col">Cost</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {run.modelCalls.map((m) => (
                  <tr key={m.id}>
                    <td>{m.model}</td>
                    <td>
                      {formatTokens(m.promptTokens)} / {formatTokens(m.completionTokens)}
                      {m.estimated ? " (estimated)" : ""}
                    </td>
                    <td>{formatCost(m.costUsd)}</td>
                    <td>{formatLatency(m.latencyMs)}</td>
                  </tr>
                ))}
              </tbody>
              {run.totalTokens !== undefined && (
                <tfoot>
                  <tr>
                    <th scope="row">Run total</th>
                    <td>{formatTokens(run.totalTokens)} tokens</td>
                    <td>{formatCost(run.costUsd)}</td>
                    <td />
                  </tr>
                </tfoot>
              )}
            </table>
          )}
        </div>
      ))}
    </section>
  );
}

/**
 * The id of the element showing a call's arguments: a call's approval points at them, so that of two calls
 * of one tool, each pair of buttons is described by the arguments it decides.
 */
function argumentsId(call: ToolCallView): string {
  return `arguments-${call.stepId}`;
}

/**
 * Approve and Deny for a call that waits for a person, named for its tool so that each call of a round has
 * its own pair. With several waiting calls a choice can still be changed until every call has one.
 */
function Approval({ call, choice, oneOfSeveral, decide }: {
  call: ToolCallView;
  choice: Choice | undefined;
  oneOfSeveral: boolean;
  decide: (approved: boolean) => void;
}) {
  const pressed = (approved: boolean) => (oneOfSeveral ? (choice?.approved === approved ? "true" : "false") : undefined);
  return (
    <div class="approval" role="group" aria-label={`Approval of ${call.tool}`} aria-describedby={argumentsId(call)}>
      <p class="approval-ask">
        Run <span class="tool-name">{call.tool}</span> with these arguments?
        {call.expiresAt !== undefined && (
          <>
            {" "}Decide by <time dateTime={call.expiresAt}>{formatDue(call.expiresAt)}</time>, or it counts as denied.
          </>
        )}
      </p>
      <div class="approval-actions">
        <button type="button" class="approve" aria-pressed={pressed(true)} disabled={choice?.sent === true} onClick={() => decide(true)}>
          Approve
        </button>
        <button type="button" class="deny" aria-pressed={pressed(false)} disabled={choice?.sent === true} onClick={() => decide(false)}>
          Deny
        </button>
      </div>
      {oneOfSeveral && choice !== undefined && !choice.sent && (
        <p class="muted approval-note">Your choices are sent once every waiting call has one.</p>
      )}
      {choice?.sent === true && <p class="muted approval-note" role="status">Sending your choice…</p>}
    </div>
  );
}

/**
 * A call of a tool of the client app that asked for this answer (an AG-UI front end): the app runs it and sends
 * its result, so nobody here approves it. It may be denied here all the same, which ends the wait.
 */
function AppCall({ call, choice, withOthers, deny }: {
  call: ToolCallView;
  choice: Choice | undefined;
  /** Calls that wait for a person are in the same round: a Deny here is sent with their choices. */
  withOthers: boolean;
  deny?: () => void;
}) {
  return (
    <div class="approval app-call" role="group" aria-label={`Waiting for the app to run ${call.tool}`}
      aria-describedby={argumentsId(call)}>
      <p class="approval-ask">
        Waiting for the app to run <span class="tool-name">{call.tool}</span>: the app that asked for this answer runs
        it and sends its result.
        {call.expiresAt !== undefined && (
          <>
            {" "}If none comes by <time dateTime={call.expiresAt}>{formatDue(call.expiresAt)}</time>, it counts as denied.
          </>
        )}
      </p>
      {deny && (
        <div class="approval-actions">
          <button type="button" class="deny" aria-pressed={withOthers ? (choice?.approved === false ? "true" : "false") : undefined}
            disabled={choice?.sent === true} onClick={deny}>
            Deny
          </button>
        </div>
      )}
      {withOthers && choice !== undefined && !choice.sent && (
        <p class="muted approval-note">Your choices are sent once every waiting call has one.</p>
      )}
      {choice?.sent === true && <p class="muted approval-note" role="status">Sending your choice…</p>}
    </div>
  );
}
