import type { Agent } from "../api/types";

interface Props {
  agents: readonly Agent[];
  selected: string | null;
  onChoose(agentId: string): void;
}

export function AgentPicker({ agents, selected, onChoose }: Props) {
  const known = agents.some((a) => a.id === selected);
  const current = agents.find((a) => a.id === selected);
  return (
    <div class="agent-picker">
      <label for="agent-select">Agent</label>
      <select
        id="agent-select"
        aria-label="Agent"
        value={known ? selected! : ""}
        aria-describedby={current?.description ? "agent-description" : undefined}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (value) onChoose(value);
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
        <span id="agent-description" class="agent-description">
          {current.description}
        </span>
      )}
    </div>
  );
}
