package dev.agentchat.adapter.tools.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TermsTest {

    @Test
    void words_are_lower_cased_split_at_punctuation_and_common_words_dropped() {
        assertThat(Terms.words("My VM has NO internet-access, since 10:00 (HTTP 502)!"))
                .containsExactly("vm", "internet", "access", "since", "10", "00", "http", "502");
    }

    @ParameterizedTest(name = "{0} and {1} have one stem")
    @CsvSource({
            "charged, charges", "charge, charging", "routing, route", "policies, policy", "denied, deny",
            "addresses, address", "stopped, stop", "billed, bill", "backups, backup", "vms, vm", "expired, expires",
            "cases, case", "statuses, status"
    })
    void forms_of_a_word_share_a_stem(String one, String other) {
        assertThat(Terms.stem(one)).isEqualTo(Terms.stem(other));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "access, access", "status, status", "need, need", "add, add", "ping, ping", "502, 502", "mfa, mfa",
            "speed, speed", "dns, dn"
    })
    void words_that_only_look_inflected_keep_their_letters_except_a_final_s(String word, String stem) {
        assertThat(Terms.stem(word)).isEqualTo(stem);
    }
}
