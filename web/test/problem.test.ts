// @vitest-environment node
import { describe as group, expect, it } from "vitest";
import { ApiError, describe, NetworkError, problemOf } from "../src/api/problem";

group("problems", () => {
  it("reads a problem+json body with its code, detail and own members", async () => {
    const response = new Response(
      JSON.stringify({ type: "urn:agentchat:problem:thread_busy", title: "Busy", status: 409, detail: "The thread is answering.", code: "thread_busy", active_run_id: "run_7" }),
      { status: 409, headers: { "Content-Type": "application/problem+json" } },
    );
    const problem = await problemOf(response);
    expect(problem).toBeInstanceOf(ApiError);
    expect(problem.status).toBe(409);
    expect(problem.code).toBe("thread_busy");
    expect(problem.member("active_run_id")).toBe("run_7");
  });

  it("copes with a body that is not JSON, or none", async () => {
    const html = await problemOf(new Response("<html>Bad gateway</html>", { status: 502 }));
    expect(html.code).toBe("http_502");
    expect(describe(html)).toBe("The service failed (HTTP 502). Try again.");
    const empty = await problemOf(new Response(null, { status: 403 }));
    expect(describe(empty)).toBe("The request was refused (HTTP 403).");
  });

  it("puts errors in words, never in JSON", () => {
    const cases = [
      new ApiError(409, "thread_busy", "x"),
      new ApiError(422, "invalid_request", "The message is empty."),
      new ApiError(500, "internal", ""),
      new NetworkError(new TypeError("fetch failed")),
      new Error(""),
      "a string",
    ];
    for (const error of cases) {
      const words = describe(error);
      expect(words.length).toBeGreaterThan(5);
      expect(words).not.toMatch(/[{}]/);
    }
    expect(describe(new ApiError(422, "invalid_request", "The message is empty."))).toBe("The message is empty.");
  });

  it("tells a person to send again when the service restarts, rather than that it failed", () => {
    const draining = new ApiError(503, "service_draining", "This instance is stopping; send the request again.");
    expect(describe(draining)).toBe("The service is restarting. Send your message again in a moment.");
    expect(describe(draining)).not.toContain("failed");
  });
});
