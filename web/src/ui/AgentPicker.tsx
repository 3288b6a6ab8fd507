import { useRef } from "preact/hooks";
import type { Agent } from "../api/types";

interface Props {
  agents: readonly Agent[];
  selected: string | null;
  onChoose(agentId: string): void;
}

const MOVING_KEYS: ReadonlySet<string> = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

export function AgentPicker({ agents, selected, onChoose }: Props) {
  const known = agents.some((a) => a.id === selected);
  const current = agents.find((a) => a.id === selected);
  // Chromium on Linux and Windows fires `change` for every arrow key on a closed select: a keyboard
  // choice is taken when it is committed (Enter, or leaving the picker), not for each agent passed
  // on the way, which would load a page and add a history entry each. A pointer's pick (or a
  // script's) fires no key first, and is taken at once.
  const keyDown = useRef(false);
  const pending = useRef<string | null>(null);
  const commit = () => {
    const value = pending.current;
    pending.current = null;
    if (value && value !== selected) onChoose(value);
  };
  return (
    <div class="agent-picker">
      <label for="agent-select">Agent</label>
      <select
        id="agent-select"
        aria-label="Agent"
        value={known ? selected! : ""}
        aria-describedby={current?.description ? "agent-description" : undefined}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            commit();
            return;
          }
          if (e.key === "Escape") {
            // The choice was not made: the picker shows the agent whose page this is again.
            pending.current = null;
            e.currentTarget.value = known ? selected! : "";
          }
          // Only keys that move the choice on the closed select: a key that opens the list (Space,
          // Alt+Down, F4) hands the keyboard to the list, whose pick fires one change when made.
          keyDown.current = !e.altKey && (MOVING_KEYS.has(e.key) || (e.key.length === 1 && e.key !== " "));
        }}
        onKeyUp={() => {
          keyDown.current = false;
        }}
        onBlur={() => {
          keyDown.current = false;
          commit();
        }}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (!value) return;
          if (keyDown.current) pending.current = value;
          else {
            pending.current = null;
            onChoose(value);
          }
        }}
      >
        {!known && <option value="">Choose an agent…</option>}
        {agents.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      {current?.description && (
        <span id="agent-description" class="agent-description" title={current.description}>
          {current.description}
        </span>
      )}
    </div>
  );
}
