/** What the service's public `/auth/config` says the browser needs to sign in. */
export interface SignInSettings {
  readonly client_id: string;
  readonly authority: string;
  readonly protocol_mode: "AAD" | "OIDC";
  readonly known_authorities: readonly string[];
  readonly scopes: readonly string[];
}

export type Authentication = "none" | "entra_id" | "oidc" | "api_key";

export interface AuthConfig {
  readonly authentication: Authentication;
  readonly sign_in: SignInSettings | null;
}

export async function loadAuthConfig(fetchFn: typeof fetch = fetch): Promise<AuthConfig> {
  const response = await fetchFn("/auth/config", { headers: { Accept: "application/json" }, cache: "no-store" });
  if (response.status === 404) return { authentication: "none", sign_in: null };
  if (!response.ok) throw new Error(`The sign-in settings could not be read (HTTP ${response.status}).`);
  const config = (await response.json()) as AuthConfig;
  return { authentication: config.authentication ?? "none", sign_in: config.sign_in ?? null };
}
