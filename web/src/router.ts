export type Route =
  | { readonly page: "home" }
  | { readonly page: "agent"; readonly agentId: string; readonly threadId: string | null }
  | { readonly page: "not_found" };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(safeDecode);
  if (parts.length === 0) return { page: "home" };
  // An id is put back into API paths; "." or ".." (or one that decodes to nothing) would name another path there.
  if (!parts.every(usableSegment)) return { page: "not_found" };
  if (parts[0] === "agents" && parts.length === 2) return { page: "agent", agentId: parts[1]!, threadId: null };
  if (parts[0] === "agents" && parts.length === 4 && parts[2] === "threads") {
    return { page: "agent", agentId: parts[1]!, threadId: parts[3]! };
  }
  return { page: "not_found" };
}

export function agentPath(agentId: string, threadId?: string | null): string {
  const base = `/agents/${encodeURIComponent(agentId)}`;
  return threadId ? `${base}/threads/${encodeURIComponent(threadId)}` : base;
}

function usableSegment(part: string): boolean {
  return part !== "" && part !== "." && part !== ".." && !part.includes("/");
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
