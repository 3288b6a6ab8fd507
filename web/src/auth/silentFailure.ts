import { AuthError, BrowserAuthErrorCodes, ClientAuthErrorCodes } from "@azure/msal-browser";

/** What to do when MSAL could not get a token without showing the sign-in page. */
export type SilentFailureRemedy = "sign_in_again" | "rethrow";

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
 * an unreachable sign-in service, or an interaction already under way, therefore signs in again;
 * except when no call has been accepted since the last sign-in (`signInUnproven`): another
 * redirect would then go round in circles, so the error is shown.
 */
export function silentFailureRemedy(error: unknown, signInUnproven: boolean): SilentFailureRemedy {
  if (signInUnproven || !(error instanceof AuthError)) return "rethrow";
  if (UNREACHABLE.has(error.errorCode)) return "rethrow";
  if (error.errorCode === BrowserAuthErrorCodes.interactionInProgress) return "rethrow";
  return "sign_in_again";
}
