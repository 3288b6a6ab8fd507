// @vitest-environment node
import {
  AuthError,
  BrowserAuthError,
  BrowserAuthErrorCodes,
  ClientAuthError,
  ClientAuthErrorCodes,
  InteractionRequiredAuthError,
  ServerError,
} from "@azure/msal-browser";
import { describe, expect, it } from "vitest";
import { silentFailureRemedy } from "../src/auth/silentFailure";

describe("silentFailureRemedy", () => {
  it.each([
    ["interaction required", new InteractionRequiredAuthError("interaction_required", "c")],
    ["an expired refresh token's blocked iframe timing out", new AuthError(BrowserAuthErrorCodes.timedOut, "c", undefined, "monitor_window_timeout")],
    ["a browser timeout", new BrowserAuthError(BrowserAuthErrorCodes.timedOut, "c")],
    ["an iframe closed early", new BrowserAuthError(BrowserAuthErrorCodes.iframeClosedPrematurely, "c")],
    ["a refused refresh token", new ServerError("invalid_grant", "c", "AADSTS700082: expired")],
    ["a token that needs refreshing", new ClientAuthError(ClientAuthErrorCodes.tokenRefreshRequired, "c")],
  ])("signs in again after %s", (_, error) => {
    expect(silentFailureRemedy(error, false)).toBe("sign_in_again");
  });

  it.each([
    ["no network", new BrowserAuthError(BrowserAuthErrorCodes.noNetworkConnectivity, "c")],
    ["a failed token request", new BrowserAuthError(BrowserAuthErrorCodes.postRequestFailed, "c")],
    ["a failed metadata request", new BrowserAuthError(BrowserAuthErrorCodes.getRequestFailed, "c")],
    ["a network error", new ClientAuthError(ClientAuthErrorCodes.networkError, "c")],
    ["unreachable endpoints", new ClientAuthError(ClientAuthErrorCodes.endpointResolutionError, "c")],
    ["an interaction already under way", new BrowserAuthError(BrowserAuthErrorCodes.interactionInProgress, "c")],
    ["an error that is not MSAL's", new TypeError("boom")],
  ])("shows the error after %s", (_, error) => {
    expect(silentFailureRemedy(error, false)).toBe("rethrow");
  });

  it("asks the person to sign in instead of going there itself when no call was accepted since the last sign-in", () => {
    expect(silentFailureRemedy(new InteractionRequiredAuthError("interaction_required", "c"), true)).toBe("ask_to_sign_in");
    expect(silentFailureRemedy(new BrowserAuthError(BrowserAuthErrorCodes.timedOut, "c"), true)).toBe("ask_to_sign_in");
    expect(silentFailureRemedy(new BrowserAuthError(BrowserAuthErrorCodes.noNetworkConnectivity, "c"), true)).toBe("rethrow");
  });
});
