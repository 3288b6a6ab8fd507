import { useState } from "preact/hooks";
import { describe } from "../api/problem";
import type { Session } from "../auth/session";

/** Runs a sign-in or sign-out; a failure (the provider cannot be reached, say) is shown in words. */
function useAction(): [string | null, (action: () => Promise<void>) => void] {
  const [error, setError] = useState<string | null>(null);
  return [
    error,
    (action) => {
      setError(null);
      action().catch((e) => setError(`Signing in or out failed: ${describe(e)}`));
    },
  ];
}

function Failure({ error }: { error: string | null }) {
  return error ? <p class="notice error" role="alert">{error}</p> : null;
}

export function Account({ session }: { session: Session }) {
  const [error, run] = useAction();
  if (session.kind === "none") return null;
  const name = session.userName();
  if (name) {
    return (
      <div class="account">
        <span class="user-name">{name}</span>
        <button type="button" onClick={() => run(() => session.signOut())}>
          Sign out
        </button>
        <Failure error={error} />
      </div>
    );
  }
  if (session.kind === "api_key") return null; // the sign-in form is the page itself
  return (
    <div class="account">
      <button type="button" class="primary" onClick={() => run(() => session.signIn())}>
        Sign in
      </button>
      <Failure error={error} />
    </div>
  );
}

/** The page for a signed-out user: an API key form, or the identity provider's Sign in button. */
export function SignInPage({ session }: { session: Session }) {
  const [key, setKey] = useState("");
  const [error, run] = useAction();
  if (session.kind === "api_key") {
    return (
      <main class="sign-in">
        <h1>Sign in</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run(() => session.signIn(key));
          }}
        >
          <label for="api-key">API key</label>
          <input id="api-key" aria-label="API key" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={!key.trim()}>
            Sign in
          </button>
        </form>
        <Failure error={error} />
        <p class="muted">The key is kept in this tab only.</p>
      </main>
    );
  }
  return (
    <main class="sign-in">
      <h1>Sign in</h1>
      <p>Sign in with your organisation's account to chat with its agents.</p>
      <button type="button" class="primary" onClick={() => run(() => session.signIn())}>
        Sign in
      </button>
      <Failure error={error} />
    </main>
  );
}
