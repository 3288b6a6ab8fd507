import { useState } from "preact/hooks";
import type { Session } from "../auth/session";

export function Account({ session }: { session: Session }) {
  if (session.kind === "none") return null;
  const name = session.userName();
  if (name) {
    return (
      <div class="account">
        <span class="user-name">{name}</span>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </div>
    );
  }
  if (session.kind === "api_key") return null; // the sign-in form is the page itself
  return (
    <div class="account">
      <button type="button" class="primary" onClick={() => void session.signIn()}>
        Sign in
      </button>
    </div>
  );
}

/** The page for a signed-out user: an API key form, or the identity provider's Sign in button. */
export function SignInPage({ session }: { session: Session }) {
  const [key, setKey] = useState("");
  if (session.kind === "api_key") {
    return (
      <main class="sign-in">
        <h1>Sign in</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void session.signIn(key);
          }}
        >
          <label for="api-key">API key</label>
          <input id="api-key" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={!key.trim()}>
            Sign in
          </button>
        </form>
        <p class="muted">The key is kept in this tab only.</p>
      </main>
    );
  }
  return (
    <main class="sign-in">
      <h1>Sign in</h1>
      <p>Sign in with your organisation's account to chat with its agents.</p>
      <button type="button" class="primary" onClick={() => void session.signIn()}>
        Sign in
      </button>
    </main>
  );
}
