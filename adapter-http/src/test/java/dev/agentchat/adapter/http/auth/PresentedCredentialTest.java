package dev.agentchat.adapter.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the Authorization header is read: only a single bearer credential is taken. */
class PresentedCredentialTest {
    @Test
    void a_bearer_credential_is_taken_whatever_the_case_of_the_scheme() {
        assertThat(Authentication.Presented.of(List.of("Bearer abc.def.ghi"))).isEqualTo(new Authentication.Presented.Credential("abc.def.ghi"));
        assertThat(Authentication.Presented.of(List.of("bearer key-1"))).isEqualTo(new Authentication.Presented.Credential("key-1"));
    }

    @Test
    void no_header_or_another_scheme_is_no_credential() {
        assertThat(Authentication.Presented.of(List.of())).isInstanceOf(Authentication.Presented.Nothing.class);
        assertThat(Authentication.Presented.of(List.of("Basic dXNlcjpwYXNz"))).isInstanceOf(Authentication.Presented.Nothing.class);
    }

    @Test
    void an_empty_split_or_repeated_bearer_credential_is_malformed() {
        assertThat(Authentication.Presented.of(List.of("Bearer"))).isInstanceOf(Authentication.Presented.Malformed.class);
        assertThat(Authentication.Presented.of(List.of("Bearer a b"))).isInstanceOf(Authentication.Presented.Malformed.class);
        assertThat(Authentication.Presented.of(List.of("Bearerabc"))).isInstanceOf(Authentication.Presented.Malformed.class);
        assertThat(Authentication.Presented.of(List.of("Bearer a", "Bearer b"))).isInstanceOf(Authentication.Presented.Malformed.class);
    }
}
