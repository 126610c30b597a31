package com.kahula.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.RepositoryFiles;
import org.junit.jupiter.api.Test;

/** The bench's service records the share of traces it records on ECS as it ships, unless told otherwise. */
class TraceSamplingTests {

    @Test
    void theServiceSamplesAtTheTemplatesDefaultRatio() {
        Object shipped = CloudFormationYaml.at(
                CloudFormationYaml.read(RepositoryFiles.of("ecs/event-persister.yml")),
                "Parameters",
                "TraceSamplingRatio",
                "Default");

        assertThat(BenchOptions.parse().traceSampling()).isEqualTo(Double.parseDouble(shipped.toString()));
        assertThat(BenchOptions.parse("--trace-sampling", "1").traceSampling()).isEqualTo(1.0);
    }

    @Test
    void namesTheTracingContestantsAsTheyAreAskedFor() {
        assertThat(BenchOptions.parse("--contestants", "service,service-untraced,service-traced-all")
                        .contestants())
                .containsExactly(Contestant.SERVICE, Contestant.SERVICE_UNTRACED, Contestant.SERVICE_TRACED_ALL);
        assertThat(Contestant.SERVICE_UNTRACED.isService()).isTrue();
    }
}
