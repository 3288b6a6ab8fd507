/**
 * The message being typed is kept per agent and thread in sessionStorage, so a sign-in redirect
 * (a 401 during use) or a reload does not lose it.
 */
function key(agentId: string, threadId: string | null): string {
  return `agentchat.draft.${agentId}.${threadId ?? "new"}`;
}

export function loadDraft(agentId: string, threadId: string | null): string {
  try {
    return sessionStorage.getItem(key(agentId, threadId)) ?? "";
  } catch {
    return "";
  }
}

export function saveDraft(agentId: string, threadId: string | null, text: string): void {
  try {
    if (text) sessionStorage.setItem(key(agentId, threadId), text);
    else sessionStorage.removeItem(key(agentId, threadId));
  } catch {
    // Storage disabled: the draft lives only in the box.
  }
}
