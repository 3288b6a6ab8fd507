import { AuthError, BrowserAuthErrorCodes, ClientAuthErrorCodes } from "@azure/msal-browser";

/**
 * What to do when MSAL could not get a token without showing the sign-in page: go there at once, show
 * `Sign in` for the person to choose it, or show the error.
 */
export type SilentFailureRemedy = "sign_in_again" | "ask_to_sign_in" | "rethrow";

/**
 * Failures that say the sign-in service could not be reached: sending the page there would not
 * help, and would lose what the user was doing, so the error is shown and a retry may work.
 */
const UNREACHABLE: ReadonlySet<string> = new Set([
  BrowserAuthErrorCodes.noNetworkConnectivity,
  BrowserAuthErrorCodes.getRequestFailed,
  BrowserAuthErrorCodes.postRequestFailed,
  ClientAuthErrorCodes.networkError,
  ClientAuthErrorCodes.endpointResolutionError,
]);

/**
 * Decides whether a failed silent token request is answered by the redirect sign-in. Not only
 * `InteractionRequiredAuthError`: once the refresh token has expired MSAL tries a hidden iframe,
 * which this page's `frame-ancestors 'none'` (and third-party cookie blocking) makes time out,
 * and that timeout would otherwise fail every call until the tab is closed. Any MSAL failure but
 * an unreachable sign-in service, or an interaction already under way, therefore signs in again.
 * When no call has been accepted since the last sign-in (`signInUnproven`: it was left half-way,
 * or the service takes none of its tokens) another automatic redirect could go round in circles,
 * so the person is asked instead: a click cannot loop, and the tab is never left stuck.
 */
export function silentFailureRemedy(error: unknown, signInUnproven: boolean): SilentFailureRemedy {
  if (!(error instanceof AuthError)) return "rethrow";
  if (UNREACHABLE.has(error.errorCode)) return "rethrow";
  if (error.errorCode === BrowserAuthErrorCodes.interactionInProgress) return "rethrow";
  return signInUnproven ? "ask_to_sign_in" : "sign_in_again";
}
