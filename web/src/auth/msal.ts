import { PublicClientApplication, type AccountInfo } from "@azure/msal-browser";
import type { SignInSettings } from "./config";
import type { Session } from "./session";
import { silentFailureRemedy } from "./silentFailure";

/** Set when the page leaves to sign in, cleared once the service accepts a call: a sign-in not yet proven. */
const UNPROVEN_SIGN_IN = "agentchat.signInUnproven";

/**
 * Signs in with an OpenID Connect provider (Microsoft Entra ID, or another issuer in OIDC mode)
 * through MSAL's redirect flow; tokens are cached in sessionStorage, for this tab only.
 */
export async function startMsalSession(settings: SignInSettings, changed: () => void): Promise<Session> {
  const origin = window.location.origin;
  const app = new PublicClientApplication({
    auth: {
      clientId: settings.client_id,
      authority: settings.authority,
      knownAuthorities: [...settings.known_authorities],
      redirectUri: origin + "/",
      postLogoutRedirectUri: origin + "/",
    },
    cache: { cacheLocation: "sessionStorage" },
    system: { protocolMode: settings.protocol_mode },
  });
  await app.initialize();
  // Back from the sign-in page: MSAL takes the answer, then returns to the page that asked.
  const result = await app.handleRedirectPromise({ navigateToLoginRequestUrl: true });
  if (result?.account) app.setActiveAccount(result.account);
  else if (!app.getActiveAccount()) {
    const [first] = app.getAllAccounts();
    if (first) app.setActiveAccount(first);
  }
  return new MsalSession(app, [...settings.scopes], changed);
}

class MsalSession implements Session {
  readonly kind = "identity_provider" as const;

  constructor(
    private readonly app: PublicClientApplication,
    private readonly scopes: string[],
    private readonly changed: () => void,
  ) {}

  /**
   * Shows `Sign in` (the page as signed out) for the person to choose: used where signing in again by
   * itself could go round in circles. Their click starts a fresh sign-in.
   */
  private askToSignIn(): void {
    this.app.setActiveAccount(null);
    this.changed();
  }

  private account(): AccountInfo | null {
    return this.app.getActiveAccount();
  }

  userName(): string | null {
    const account = this.account();
    return account ? account.name || account.username || "Signed in" : null;
  }

  async credential(): Promise<string | null> {
    const account = this.account();
    if (!account) return null;
    try {
      const result = await this.app.acquireTokenSilent({ scopes: this.scopes, account });
      return result.accessToken;
    } catch (error) {
      const remedy = silentFailureRemedy(error, sessionStorage.getItem(UNPROVEN_SIGN_IN) !== null);
      if (remedy === "sign_in_again") {
        rememberRedirect();
        await this.app.acquireTokenRedirect({ scopes: this.scopes, account });
        // The page is leaving for the sign-in page.
        return new Promise<string | null>(() => {});
      }
      if (remedy === "ask_to_sign_in") this.askToSignIn();
      throw error;
    }
  }

  async signIn(): Promise<void> {
    rememberRedirect();
    await this.app.loginRedirect({ scopes: this.scopes });
  }

  async signOut(): Promise<void> {
    const account = this.account();
    await this.app.logoutRedirect(account ? { account } : {});
  }

  accepted(): void {
    sessionStorage.removeItem(UNPROVEN_SIGN_IN);
  }

  signInAgain(): void {
    // A token the service refuses although no call has been accepted since the last sign-in (one left half-way, or a
    // service that takes no token of it): signing in again by itself could go round in circles, so the person is asked.
    if (sessionStorage.getItem(UNPROVEN_SIGN_IN) !== null) {
      this.askToSignIn();
      return;
    }
    rememberRedirect();
    const account = this.account();
    void this.app.loginRedirect({ scopes: this.scopes, ...(account ? { loginHint: account.username } : {}) });
  }
}

function rememberRedirect(): void {
  sessionStorage.setItem(UNPROVEN_SIGN_IN, "1");
}
