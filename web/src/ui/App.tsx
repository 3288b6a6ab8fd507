import { useEffect, useMemo, useState } from "preact/hooks";
import { Api } from "../api/client";
import { ApiError, describe } from "../api/problem";
import type { Agent } from "../api/types";
import { loadAuthConfig } from "../auth/config";
import { startSession, type Session } from "../auth/session";
import { agentPath, parseRoute, type Route } from "../router";
import { Conversation } from "../run/conversation";
import { Account, SignInPage } from "./Account";
import { AgentPicker } from "./AgentPicker";
import { ConversationView } from "./ConversationView";
import { ThreadSidebar } from "./ThreadSidebar";

type Loaded<T> = { state: "loading" } | { state: "ready"; value: T } | { state: "failed"; error: unknown };

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  const [session, setSession] = useState<Loaded<Session>>({ state: "loading" });
  const [sessionVersion, setSessionVersion] = useState(0);

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    loadAuthConfig()
      .then((config) => startSession(config, () => setSessionVersion((v) => v + 1)))
      .then((value) => setSession({ state: "ready", value }))
      .catch((error) => setSession({ state: "failed", error }));
  }, []);

  const navigate = (path: string, replace = false) => {
    if (path === location.pathname) return;
    if (replace) history.replaceState(null, "", path);
    else history.pushState(null, "", path);
    setRoute(parseRoute(path));
  };

  if (session.state === "loading") return <p class="page-message">Loading…</p>;
  if (session.state === "failed") {
    return (
      <main class="page-message" role="alert">
        <p>{describe(session.error)}</p>
        <button type="button" onClick={() => location.reload()}>
          Retry
        </button>
      </main>
    );
  }
  const current = session.value;
  const signedOut = current.kind !== "none" && current.userName() === null;
  return (
    <SignedIn key={sessionVersion} session={current} signedOut={signedOut} route={route} navigate={navigate} />
  );
}

function SignedIn(props: { session: Session; signedOut: boolean; route: Route; navigate(path: string, replace?: boolean): void }) {
  const { session, signedOut, route, navigate } = props;
  const api = useMemo(
    () => new Api(() => session.credential(), undefined, (error: ApiError) => {
      if (error.status === 401) session.signInAgain();
    }, () => session.accepted()),
    [session],
  );
  const [agents, setAgents] = useState<Loaded<Agent[]>>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (signedOut) return;
    setAgents({ state: "loading" });
    api.listActiveAgents()
      .then((value) => setAgents({ state: "ready", value }))
      .catch((error) => setAgents({ state: "failed", error }));
  }, [api, signedOut, attempt]);

  const agentId = route.page === "agent" ? route.agentId : null;
  const list = agents.state === "ready" ? agents.value : [];

  return (
    <div class="app">
      <header class="topbar">
        <a
          class="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate("/");
          }}
        >
          agentchat
        </a>
        {!signedOut && <AgentPicker agents={list} selected={agentId} onChoose={(id) => navigate(agentPath(id))} />}
        {!signedOut && <Account session={session} />}
      </header>
      {signedOut ? (
        <SignInPage session={session} />
      ) : agents.state === "failed" ? (
        <main class="page-message">
          <div class="notice error" role="alert">
            <span>{describe(agents.error)}</span>
            <button type="button" onClick={() => setAttempt((a) => a + 1)}>
              Retry
            </button>
          </div>
        </main>
      ) : route.page === "home" ? (
        <Home agents={agents} navigate={navigate} />
      ) : route.page === "agent" ? (
        <AgentPage key={route.agentId} api={api} agentId={route.agentId} threadId={route.threadId} navigate={navigate} />
      ) : (
        <main class="page-message">
          <div class="notice error" role="alert">
            <span>There is no such page.</span>
          </div>
        </main>
      )}
    </div>
  );
}

function Home({ agents, navigate }: { agents: Loaded<Agent[]>; navigate(path: string): void }) {
  if (agents.state !== "ready") return <main class="page-message">Loading the agents…</main>;
  return (
    <main class="home">
      <h1>Choose an agent</h1>
      {agents.value.length === 0 && <p>There are no active agents.</p>}
      <ul class="agent-cards">
        {agents.value.map((a) => (
          <li key={a.id}>
            <a
              href={agentPath(a.id)}
              onClick={(e) => {
                e.preventDefault();
                navigate(agentPath(a.id));
              }}
            >
              {a.name}
            </a>
            {a.description && <p>{a.description}</p>}
          </li>
        ))}
      </ul>
    </main>
  );
}

function AgentPage(props: { api: Api; agentId: string; threadId: string | null; navigate(path: string, replace?: boolean): void }) {
  const { api, agentId, threadId, navigate } = props;
  const [agent, setAgent] = useState<Loaded<Agent>>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [threadsVersion, setThreadsVersion] = useState(0);

  useEffect(() => {
    setAgent({ state: "loading" });
    api.readAgent(agentId)
      .then((value) => setAgent({ state: "ready", value }))
      .catch((error) => setAgent({ state: "failed", error }));
  }, [api, agentId, attempt]);

  const conversation = useMemo(
    () =>
      new Conversation(api, agentId, {
        threadCreated: (id) => {
          navigate(agentPath(agentId, id));
          setThreadsVersion((v) => v + 1);
        },
        threadsChanged: () => setThreadsVersion((v) => v + 1),
      }),
    [api, agentId],
  );

  useEffect(() => {
    // A reload or closing the tab mid-answer: the next page re-joins after the last event seen.
    const onHide = () => conversation.rememberLiveRun();
    addEventListener("pagehide", onHide);
    return () => {
      removeEventListener("pagehide", onHide);
      conversation.dispose();
    };
  }, [conversation]);

  const usable = agent.state === "ready" && agent.value.status === "active";
  useEffect(() => {
    if (usable) conversation.open(threadId);
  }, [conversation, threadId, usable]);

  useEffect(() => {
    if (agent.state === "ready") document.title = `${agent.value.name} · agentchat`;
    return () => {
      document.title = "agentchat";
    };
  }, [agent]);

  if (agent.state === "loading") return <main class="page-message">Loading the agent…</main>;
  if (agent.state === "failed") {
    const missing = agent.error instanceof ApiError && agent.error.status === 404;
    return (
      <main class="page-message">
        <div class="notice error" role="alert">
          <span>{missing ? `The agent “${agentId}” does not exist.` : describe(agent.error)}</span>
          {!missing && (
            <button type="button" onClick={() => setAttempt((a) => a + 1)}>
              Retry
            </button>
          )}
        </div>
      </main>
    );
  }
  if (agent.value.status !== "active") {
    return (
      <main class="page-message">
        <div class="notice error" role="alert">
          <span>The agent “{agent.value.name}” is retired: it takes no new conversations.</span>
        </div>
      </main>
    );
  }
  return (
    <main class="workspace">
      <ThreadSidebar api={api} agentId={agentId} currentThreadId={threadId} version={threadsVersion} navigate={navigate} />
      <ConversationView conversation={conversation} agentId={agentId} />
    </main>
  );
}
