import type { AuthConfig } from "./config";

/** Who is using the page, and the credential their calls carry. */
export interface Session {
  /** How this page signs in: not at all, with an identity provider, or with an API key typed in. */
  readonly kind: "none" | "identity_provider" | "api_key";
  /** The signed-in user's name, or null when nobody is signed in. */
  userName(): string | null;
  /** The bearer for the next call (null: none to send). */
  credential(): Promise<string | null>;
  /** Starts signing in (the identity provider's page), or takes the typed API key. */
  signIn(apiKey?: string): Promise<void>;
  signOut(): Promise<void>;
  /** A call carrying this session's credential was accepted by the service. */
  accepted(): void;
  /** A call was refused as unauthenticated: sign in again (the draft is kept in storage). */
  signInAgain(): void;
}

export class NoSignIn implements Session {
  readonly kind = "none" as const;
  userName(): string | null {
    return null;
  }
  async credential(): Promise<string | null> {
    return null;
  }
  async signIn(): Promise<void> {}
  async signOut(): Promise<void> {}
  accepted(): void {}
  signInAgain(): void {}
}

const API_KEY = "agentchat.apiKey";

/** An API key typed into the page, kept for this tab only. */
export class ApiKeySession implements Session {
  readonly kind = "api_key" as const;

  constructor(private readonly changed: () => void) {}

  userName(): string | null {
    return sessionStorage.getItem(API_KEY) ? "API key user" : null;
  }
  async credential(): Promise<string | null> {
    return sessionStorage.getItem(API_KEY);
  }
  async signIn(apiKey?: string): Promise<void> {
    if (apiKey?.trim()) sessionStorage.setItem(API_KEY, apiKey.trim());
    this.changed();
  }
  async signOut(): Promise<void> {
    sessionStorage.removeItem(API_KEY);
    this.changed();
  }
  accepted(): void {}
  signInAgain(): void {
    sessionStorage.removeItem(API_KEY);
    this.changed();
  }
}

/**
 * Picks the way to sign in from the service's settings. MSAL is loaded only when the service uses an
 * identity provider, so a page without sign-in never downloads it.
 */
export async function startSession(config: AuthConfig, changed: () => void): Promise<Session> {
  if (config.authentication === "none") return new NoSignIn();
  if ((config.authentication === "entra_id" || config.authentication === "oidc") && config.sign_in) {
    const { startMsalSession } = await import("./msal");
    return startMsalSession(config.sign_in, changed);
  }
  return new ApiKeySession(changed);
}
