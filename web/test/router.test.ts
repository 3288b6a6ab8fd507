// @vitest-environment node
import { describe, expect, it } from "vitest";
import { agentPath, parseRoute } from "../src/router";

describe("parseRoute", () => {
  it("reads the home, agent and thread pages", () => {
    expect(parseRoute("/")).toEqual({ page: "home" });
    expect(parseRoute("/agents/support")).toEqual({ page: "agent", agentId: "support", threadId: null });
    expect(parseRoute("/agents/support/threads/thread_1")).toEqual({ page: "agent", agentId: "support", threadId: "thread_1" });
    expect(parseRoute(agentPath("a b", "t"))).toEqual({ page: "agent", agentId: "a b", threadId: "t" });
  });

  it.each([
    "/agents/x/threads/..",
    "/agents/x/threads/%2E%2E",
    "/agents/x/threads/.",
    "/agents/../threads/t",
    "/agents/%2e",
    "/agents/x/threads/a%2Fb",
    "/agents/x/threads/%2F",
  ])("takes an id that would name another API path for a page that does not exist: %s", (path) => {
    expect(parseRoute(path)).toEqual({ page: "not_found" });
  });
});
