import { ApiError, NetworkError, problemOf } from "./problem";
import type { Agent, AgentPage, ApprovalDecision, Run, Thread, ThreadPage, ThreadStatus, ThreadWithMessages } from "./types";

/** Supplies the bearer credential for each call (null when authentication is off). */
export type CredentialSource = () => Promise<string | null>;

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The typed client of the service's `/api`. Every call carries the bearer; every failure is an
 * ApiError (the service answered) or a NetworkError (it could not be reached).
 */
export class Api {
  constructor(
    private readonly credential: CredentialSource,
    private readonly fetchFn: Fetch = (input, init) => fetch(input, init),
    /** Told of every 401, so the UI can sign in again. */
    private readonly onUnauthorized: (error: ApiError) => void = () => {},
    /** Told of every 2xx answer: the credential was good. */
    private readonly onAccepted: () => void = () => {},
  ) {}

  /** Sends a request and returns the response if it is 2xx; throws otherwise. */
  async send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = await this.credential();
    if (token) headers.set("Authorization", `Bearer ${token}`);
    if (!headers.has("Accept")) headers.set("Accept", "application/json");
    let response: Response;
    try {
      response = await this.fetchFn(path, { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new NetworkError(error);
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      if (problem.status === 401) this.onUnauthorized(problem);
      throw problem;
    }
    this.onAccepted();
    return response;
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  /** Every active agent, all pages of them. */
  async listActiveAgents(): Promise<Agent[]> {
    const agents: Agent[] = [];
    for (let offset = 0; ; ) {
      const page = await this.json<AgentPage>(`/api/agents?status=active&limit=100&offset=${offset}`);
      agents.push(...page.agents);
      offset += page.agents.length;
      if (page.agents.length === 0 || offset >= page.total) return agents;
    }
  }

  readAgent(agentId: string): Promise<Agent> {
    return this.json<Agent>(`/api/agents/${enc(agentId)}`);
  }

  listThreads(agentId: string, status: ThreadStatus, offset: number, limit = 20): Promise<ThreadPage> {
    return this.json<ThreadPage>(
      `/api/agents/${enc(agentId)}/threads?status=${status}&limit=${limit}&offset=${offset}`,
    );
  }

  readThread(agentId: string, threadId: string, signal?: AbortSignal): Promise<ThreadWithMessages> {
    return this.json<ThreadWithMessages>(`/api/agents/${enc(agentId)}/threads/${enc(threadId)}`, { signal });
  }

  async deleteThread(agentId: string, threadId: string, hard: boolean): Promise<void> {
    await this.send(`/api/agents/${enc(agentId)}/threads/${enc(threadId)}?hard_delete=${hard}`, {
      method: "DELETE",
    });
  }

  /** Asks the run to stop; a run that has already ended is fine too. */
  async cancelRun(agentId: string, threadId: string, runId: string): Promise<void> {
    try {
      await this.send(`/api/agents/${enc(agentId)}/threads/${enc(threadId)}/runs/${enc(runId)}/cancel`, {
        method: "POST",
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === "run_finished") return;
      throw error;
    }
  }

  /**
   * Decides every call a waiting run waits on, in one request; answers the run as it is then. The same
   * decisions sent again answer the same; a run no longer waiting is a 409 (`approval_conflict`, `approval_expired`).
   */
  decideApprovals(agentId: string, threadId: string, runId: string, decisions: readonly ApprovalDecision[]): Promise<Run> {
    return this.json<Run>(`/api/agents/${enc(agentId)}/threads/${enc(threadId)}/runs/${enc(runId)}/approvals`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ decisions }),
    });
  }

  /** Starts a chat turn; the response's body is the SSE stream. */
  chat(
    agentId: string,
    threadId: string | null,
    message: string,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<Response> {
    const body: Record<string, unknown> = { message, stream: true };
    if (threadId) body.thread_id = threadId;
    return this.send(`/api/agents/${enc(agentId)}/chat`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "text/event-stream",
        "Idempotency-Key": idempotencyKey,
      },
      body: JSON.stringify(body),
      signal,
    });
  }

  /** Re-joins a run's events after the given id (none: from the start). */
  runEvents(
    agentId: string,
    threadId: string,
    runId: string,
    lastEventId: number | undefined,
    signal?: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (lastEventId !== undefined) headers["Last-Event-ID"] = String(lastEventId);
    return this.send(`/api/agents/${enc(agentId)}/threads/${enc(threadId)}/runs/${enc(runId)}/events`, {
      headers,
      signal,
    });
  }
}

export type { Agent, Run, Thread };

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
