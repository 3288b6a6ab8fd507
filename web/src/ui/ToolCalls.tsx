import type { RunView } from "../run/views";
import { formatCost, formatLatency, formatTokens, prettyJson } from "./format";

const TOOL_STATUS: Record<string, string> = {
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function ToolCalls({ runs }: { runs: readonly RunView[] }) {
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
                    <pre class="tool-arguments">{prettyJson(call.arguments)}</pre>
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
                  {call.error !== undefined && <p class="tool-error">Error: {call.error}</p>}
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
