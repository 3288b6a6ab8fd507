import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Choice } from "../src/run/conversation";
import type { RunView, ToolCallView } from "../src/run/views";
import { ToolCalls } from "../src/ui/ToolCalls";

const EXPIRES = "2026-12-04T19:45:00Z";

function waitingCall(stepId: string, tool: string, args: string): ToolCallView {
  return { stepId, tool, arguments: args, progress: [], status: "awaiting_approval", expiresAt: EXPIRES };
}

function run(...toolCalls: ToolCallView[]): RunView {
  return { runId: "run_1", number: 1, status: "requires_action", toolCalls, modelCalls: [], costUsd: null };
}

describe("ToolCalls with calls that wait for approval", () => {
  const root = document.createElement("div");
  document.body.appendChild(root);
  afterEach(() => render(null, root));

  /** The group named `name` (as assistive technology names it: its aria-label), and its buttons by their text. */
  function group(name: string) {
    const found = [...root.querySelectorAll<HTMLElement>('[role="group"]')].find((g) => g.getAttribute("aria-label") === name);
    if (!found) throw new Error(`no group ${name}`);
    const button = (text: string) => {
      const b = [...found.querySelectorAll<HTMLButtonElement>("button")].find((x) => x.textContent!.trim() === text);
      if (!b) throw new Error(`no button ${text} in ${name}`);
      return b;
    };
    return { element: found, button };
  }

  it("shows the tool, its arguments pretty-printed and its deadline, with Approve and Deny in a group named for the tool", () => {
    const decided: Array<[string, string, boolean]> = [];
    render(
      <ToolCalls runs={[run(waitingCall("step_1", "calculator", "{\"expression\":\"12 * 7\"}"))]}
        onDecide={(runId, stepId, approved) => decided.push([runId, stepId, approved])} />,
      root,
    );
    const item = root.querySelector<HTMLElement>('li[data-step-id="step_1"]')!;
    expect(item.dataset.status).toBe("awaiting_approval");
    expect(item.textContent).toContain("calculator");
    expect(item.textContent).toContain("Awaiting approval");
    expect(item.querySelector("pre.tool-arguments")!.textContent).toBe("{\n  \"expression\": \"12 * 7\"\n}");
    const approval = group("Approval of calculator");
    expect(approval.element.querySelector("time")!.getAttribute("datetime")).toBe(EXPIRES);
    expect(approval.button("Approve").type).toBe("button");
    expect(approval.button("Approve").hasAttribute("aria-pressed")).toBe(false);

    approval.button("Approve").click();
    approval.button("Deny").click();

    expect(decided).toEqual([["run_1", "step_1", true], ["run_1", "step_1", false]]);
  });

  it("marks each call's choice in a round of several, and holds the buttons while the choices are sent", () => {
    const calls = run(waitingCall("step_1", "calculator", "{}"), waitingCall("step_2", "current_time", "{}"));
    const choices = new Map<string, Choice>([["step_1", { approved: false, sent: false }]]);
    render(<ToolCalls runs={[calls]} choices={choices} onDecide={() => {}} />, root);
    expect(group("Approval of calculator").button("Deny").getAttribute("aria-pressed")).toBe("true");
    expect(group("Approval of calculator").button("Approve").getAttribute("aria-pressed")).toBe("false");
    expect(group("Approval of current_time").button("Deny").getAttribute("aria-pressed")).toBe("false");
    expect(group("Approval of calculator").button("Approve").disabled).toBe(false);

    const sent = new Map<string, Choice>([["step_1", { approved: false, sent: true }], ["step_2", { approved: true, sent: true }]]);
    render(<ToolCalls runs={[calls]} choices={sent} onDecide={() => {}} />, root);
    expect(group("Approval of calculator").button("Approve").disabled).toBe(true);
    expect(group("Approval of current_time").button("Deny").disabled).toBe(true);
  });

  it("describes each call's approval by its own arguments, so two calls of one tool can be told apart", () => {
    render(<ToolCalls runs={[run(waitingCall("step_1", "calculator", "{\"expression\":\"1+1\"}"),
      waitingCall("step_2", "calculator", "{\"expression\":\"2+2\"}"))]} onDecide={() => {}} />, root);
    const groups = [...root.querySelectorAll<HTMLElement>('[role="group"]')];
    expect(groups.map((g) => g.getAttribute("aria-label"))).toEqual(["Approval of calculator", "Approval of calculator"]);
    const described = groups.map((g) => document.getElementById(g.getAttribute("aria-describedby")!)!.textContent);
    expect(described).toEqual(["{\n  \"expression\": \"1+1\"\n}", "{\n  \"expression\": \"2+2\"\n}"]);
  });

  it("shows a tool's name and arguments as text, never as markup", () => {
    render(<ToolCalls runs={[run(waitingCall("step_1", "<img src=x onerror=alert(1)>",
      "{\"q\":\"<script>alert(1)</script>\"}"))]} onDecide={() => {}} />, root);
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("script")).toBeNull();
    expect(root.querySelector("pre.tool-arguments")!.textContent).toContain("<script>alert(1)</script>");
  });

  it("shows a denied call as denied and why, with no buttons", () => {
    const denied: ToolCallView = {
      stepId: "step_1", tool: "calculator", arguments: "{}", progress: [], status: "denied",
      error: "The user denied this tool call: not on production.", latencyMs: 0,
    };
    render(<ToolCalls runs={[{ ...run(denied), status: "completed" }]} onDecide={() => {}} />, root);
    const item = root.querySelector<HTMLElement>('li[data-step-id="step_1"]')!;
    expect(item.dataset.status).toBe("denied");
    expect(item.textContent).toContain("Denied");
    expect(item.querySelector(".tool-denied")!.textContent).toBe("Not run: The user denied this tool call: not on production.");
    expect(item.querySelectorAll("button")).toHaveLength(0);
    expect(root.querySelector('[role="group"]')).toBeNull();
  });
});

describe("ToolCalls with a call that waits for the client app", () => {
  const root = document.createElement("div");
  document.body.appendChild(root);
  afterEach(() => render(null, root));

  const appCall: ToolCallView = {
    stepId: "step_1", tool: "confirm_booking", arguments: "{\"seat\":\"4A\"}", progress: [], status: "awaiting_result",
    expiresAt: EXPIRES,
  };

  function buttonsOf(element: Element) {
    return [...element.querySelectorAll<HTMLButtonElement>("button")].map((b) => b.textContent!.trim());
  }

  it("says it waits for the app to run the tool, offers Deny alone, and a Deny decides the call", () => {
    const decided: Array<[string, string, boolean]> = [];
    render(<ToolCalls runs={[run(appCall)]} onDecide={(runId, stepId, approved) => decided.push([runId, stepId, approved])} />, root);

    const item = root.querySelector<HTMLElement>('li[data-step-id="step_1"]')!;
    expect(item.dataset.status).toBe("awaiting_result");
    expect(item.querySelector(".badge")!.textContent).toBe("Waiting for the app");
    const group = root.querySelector<HTMLElement>('[role="group"]')!;
    expect(group.getAttribute("aria-label")).toBe("Waiting for the app to run confirm_booking");
    expect(group.textContent).toContain("Waiting for the app to run confirm_booking");
    expect(document.getElementById(group.getAttribute("aria-describedby")!)!.textContent).toBe("{\n  \"seat\": \"4A\"\n}");
    expect(group.querySelector("time")!.getAttribute("datetime")).toBe(EXPIRES);
    expect(buttonsOf(root)).toEqual(["Deny"]);

    group.querySelector<HTMLButtonElement>("button")!.click();

    expect(decided).toEqual([["run_1", "step_1", false]]);
  });

  it("beside a call that waits for a person, marks a Deny as a choice sent with theirs", () => {
    const choices = new Map<string, Choice>([["step_1", { approved: false, sent: false }]]);
    render(<ToolCalls runs={[run(appCall, waitingCall("step_2", "calculator", "{}"))]} choices={choices} onDecide={() => {}} />, root);

    expect(buttonsOf(root)).toEqual(["Deny", "Approve", "Deny"]);
    const deny = root.querySelector<HTMLButtonElement>('li[data-step-id="step_1"] button')!;
    expect(deny.getAttribute("aria-pressed")).toBe("true");
    expect(root.querySelector('li[data-step-id="step_1"]')!.textContent).toContain("sent once every waiting call has one");
  });

  it("still says what it waits for where nobody may decide, with no buttons", () => {
    render(<ToolCalls runs={[run(appCall)]} />, root);

    expect(root.textContent).toContain("Waiting for the app to run confirm_booking");
    expect(root.querySelectorAll("button")).toHaveLength(0);
  });
});
