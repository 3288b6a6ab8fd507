import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Agent } from "../src/api/types";
import { AgentPicker } from "../src/ui/AgentPicker";

const AGENTS = ["support", "billing", "network"].map((id) => ({ id, name: `${id} agent`, description: `The ${id} agent` }) as unknown as Agent);

describe("AgentPicker", () => {
  const root = document.createElement("div");
  document.body.appendChild(root);
  afterEach(() => render(null, root));

  function picker() {
    const chosen: string[] = [];
    render(<AgentPicker agents={AGENTS} selected="support" onChoose={(id) => chosen.push(id)} />, root);
    const select = root.querySelector<HTMLSelectElement>("select")!;
    const key = (type: "keydown" | "keyup", key: string) => select.dispatchEvent(new KeyboardEvent(type, { key, bubbles: true }));
    /** What Chromium does for an arrow key on a closed select: the value moves and `change` fires. */
    const arrowTo = (value: string) => {
      key("keydown", "ArrowDown");
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      key("keyup", "ArrowDown");
    };
    return { chosen, select, key, arrowTo };
  }

  it("is the select labelled Agent", () => {
    picker();
    expect(root.querySelector("label")!.textContent).toBe("Agent");
    expect(root.querySelector("select")!.getAttribute("aria-label")).toBe("Agent");
  });

  it("takes a pointer's or a script's pick at once", () => {
    const { chosen, select } = picker();
    select.value = "billing";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    expect(chosen).toEqual(["billing"]);
  });

  it("passes agents with the arrow keys without choosing them, and takes the one Enter commits", () => {
    const { chosen, key, arrowTo } = picker();
    arrowTo("billing");
    arrowTo("network");
    expect(chosen).toEqual([]);
    key("keydown", "Enter");
    expect(chosen).toEqual(["network"]);
  });

  it("shows the page's agent again when Escape drops the choice being made", () => {
    const { chosen, select, key, arrowTo } = picker();
    select.focus();
    arrowTo("billing");
    key("keydown", "Escape");
    expect(select.value).toBe("support");
    select.blur();
    select.dispatchEvent(new FocusEvent("blur"));
    expect(chosen).toEqual([]);
  });

  it("takes a pick from the list opened with the keyboard at once", () => {
    const { chosen, select, key } = picker();
    key("keydown", " ");
    select.value = "network";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    expect(chosen).toEqual(["network"]);
  });

  it("takes the agent reached by typing its name once Enter is pressed", () => {
    const { chosen, select, key } = picker();
    key("keydown", "n");
    select.value = "network";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    key("keyup", "n");
    expect(chosen).toEqual([]);
    key("keydown", "Enter");
    expect(chosen).toEqual(["network"]);
  });

  it("takes the agent reached with the keys when the picker is left", () => {
    const { chosen, select, arrowTo } = picker();
    arrowTo("billing");
    select.dispatchEvent(new FocusEvent("blur"));
    expect(chosen).toEqual(["billing"]);
    select.dispatchEvent(new FocusEvent("blur"));
    expect(chosen).toEqual(["billing"]);
  });
});
