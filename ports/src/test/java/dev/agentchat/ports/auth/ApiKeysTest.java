package dev.agentchat.ports.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.thread.UserId;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final String ALICE_KEY = "alice-service-key-0123456789";
    private static final String BOB_KEY = "bob-service-key-9876543210";

    private static String hashOf(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    private static final ApiKeys KEYS = ApiKeys.parse("""
            # service callers
            %s alice reader,writer

            %s   bob
            """.formatted(hashOf(ALICE_KEY), hashOf(BOB_KEY).toUpperCase()));

    @Test
    void a_known_key_acts_as_its_user_with_its_roles_and_no_scopes() {
        Verification verdict = KEYS.verify(ALICE_KEY);

        assertThat(verdict).isInstanceOf(Verification.Accepted.class);
        AuthenticatedCaller caller = ((Verification.Accepted) verdict).caller();
        assertThat(caller.userId()).isEqualTo(UserId.of("alice"));
        assertThat(caller.roles()).containsExactlyInAnyOrder("reader", "writer");
        assertThat(caller.scopes()).isEmpty();
    }

    @Test
    void a_hash_in_upper_case_and_a_line_without_roles_are_read() {
        Verification verdict = KEYS.verify(BOB_KEY);

        assertThat(((Verification.Accepted) verdict).caller().userId()).isEqualTo(UserId.of("bob"));
        assertThat(((Verification.Accepted) verdict).caller().roles()).isEmpty();
        assertThat(KEYS.size()).isEqualTo(2);
    }

    @Test
    void an_unknown_key_is_rejected() {
        assertThat(KEYS.verify("not-a-known-key")).isInstanceOf(Verification.Rejected.class);
        assertThat(KEYS.verify(ALICE_KEY + "x")).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void the_hash_itself_is_no_key() {
        assertThat(KEYS.verify(hashOf(ALICE_KEY))).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void anything_shaped_like_a_token_is_left_to_the_token_verifier() {
        assertThat(KEYS.verify("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")).isInstanceOf(Verification.NotMine.class);
        assertThat(KEYS.verify("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")).isInstanceOf(Verification.NotMine.class);
    }

    @Test
    void a_key_given_in_clear_is_kept_as_its_hash_and_verified_as_any_other() {
        ApiKeys keys = ApiKeys.none().with(ApiKeys.Entry.forKey("the-admin-key", UserId.of("admin"), Set.of("Agents.Admin")));

        assertThat(((Verification.Accepted) keys.verify("the-admin-key")).caller().hasRole("Agents.Admin")).isTrue();
        assertThat(keys.verify("the-admin-kez")).isInstanceOf(Verification.Rejected.class);
        assertThat(keys.toString()).doesNotContain("the-admin-key");
    }

    @Test
    void a_line_that_is_no_entry_is_refused_by_its_number_without_quoting_it() {
        assertThatThrownBy(() -> ApiKeys.parse("# fine\nsecret-in-clear alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ApiKeys.parse(hashOf("k") + " not/a/user"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> ApiKeys.parse(hashOf("k")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }

    @Test
    void no_keys_refuse_every_key() {
        assertThat(ApiKeys.none().verify("anything")).isInstanceOf(Verification.Rejected.class);
        assertThat(ApiKeys.parse("# nothing yet\n\n").size()).isZero();
    }
}
