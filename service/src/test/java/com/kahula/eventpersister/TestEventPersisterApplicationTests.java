package com.kahula.eventpersister;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestEventPersisterApplicationTests {

    @Test
    void servesTheEmbeddedStackOnPort4566ByDefault() {
        assertThat(TestEventPersisterApplication.withDefaultPort(new String[] {"--debug"}))
                .containsExactly("--embedded-aws.port=4566", "--debug");
    }

    @Test
    void aPortOnTheCommandLineReplacesTheDefaultInsteadOfJoiningIt() {
        assertThat(TestEventPersisterApplication.withDefaultPort(new String[] {"--embedded-aws.port=4577"}))
                .containsExactly("--embedded-aws.port=4577");
    }
}
