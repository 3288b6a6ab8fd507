package dev.agentchat.adapter.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.auth.AuthenticatedCaller;
import dev.agentchat.ports.auth.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who a verified token's caller is. The user id is {@code tid} and {@code oid} when the token has both
 * (Entra ID: the object id is the user's in the whole tenant, while {@code sub} differs per application),
 * else its issuer and {@code sub}. Names are for display only.
 */
final class CallerFromClaims {
    /** GUIDs fit as they are: {@code <tid>.<oid>} reads well in a log and in a store. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9-]{1,63}");

    private CallerFromClaims() {
    }

    static Verification read(JWTClaimsSet claims) {
        try {
            return new Verification.Accepted(new AuthenticatedCaller(userId(claims), displayName(claims),
                    roles(claims), scopes(claims), AuthenticatedCaller.Credential.ACCESS_TOKEN));
        } catch (ParseException e) {
            return new Verification.Rejected("malformed claim: " + e.getMessage());
        }
    }

    /**
     * A user id holds only letters, digits, '-', '_' and '.', at most 128 of them, so anything else is
     * hashed: stable, and never equal to a {@code <tid>.<oid>} id, since a hashed one has no '.'.
     */
    private static UserId userId(JWTClaimsSet claims) throws ParseException {
        String tenant = claims.getStringClaim("tid");
        String object = claims.getStringClaim("oid");
        if (tenant != null && object != null) {
            if (PLAIN_ID.matcher(tenant).matches() && PLAIN_ID.matcher(object).matches()) {
                return UserId.of(tenant + "." + object);
            }
            return UserId.of("oid_" + hash(tenant, object));
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new ParseException("no subject (sub), and no tid and oid", 0);
        }
        return UserId.of("sub_" + hash(claims.getIssuer(), subject));
    }

    private static String displayName(JWTClaimsSet claims) throws ParseException {
        String username = claims.getStringClaim("preferred_username");
        return username != null ? username : claims.getStringClaim("name");
    }

    private static Set<String> roles(JWTClaimsSet claims) throws ParseException {
        List<String> roles = claims.getStringListClaim("roles");
        return roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** One string of space-separated scopes: Entra ID calls it {@code scp}, RFC 9068 (2.2.3) {@code scope}. */
    private static Set<String> scopes(JWTClaimsSet claims) throws ParseException {
        String scopes = claims.getClaim("scp") != null ? claims.getStringClaim("scp") : claims.getStringClaim("scope");
        return scopes == null ? Set.of()
                : Arrays.stream(scopes.split(" ")).filter(scope -> !scope.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    private static String hash(String first, String second) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            // The NUL between the two keeps ("ab", "c") and ("a", "bc") apart.
            byte[] digest = sha256.digest((first + "\u0000" + second).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
