package com.kahula.eventpersister.deployment;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.kahula.eventpersister.support.CloudFormationYaml;
import com.kahula.eventpersister.support.RepositoryFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Holds ecs/event-persister-repository.yml to an image repository whose tags cannot move and whose images are scanned. */
class RepositoryTemplateTests {

    private final Map<String, Object> template =
            CloudFormationYaml.read(RepositoryFiles.of("ecs/event-persister-repository.yml"));
    private final Map<String, Object> repository = map(template, "Resources", "Repository", "Properties");

    @Test
    void tagsAreImmutableAndEveryPushIsScanned() {
        assertThat(repository.get("ImageTagMutability")).isEqualTo("IMMUTABLE");
        assertThat(at(repository, "ImageScanningConfiguration", "ScanOnPush")).isEqualTo(true);
        assertThat(map(template, "Resources", "Repository")).containsEntry("DeletionPolicy", "Retain");
    }

    @Test
    void isTheRepositoryTheServiceStackPullsFrom() {
        Map<String, Object> service = CloudFormationYaml.read(RepositoryFiles.of("ecs/event-persister.yml"));
        assertThat(repository.get("RepositoryName")).isEqualTo(Map.of("Ref", "RepositoryName"));
        assertThat(at(template, "Parameters", "RepositoryName", "Default"))
                .isEqualTo(at(service, "Parameters", "RepositoryName", "Default"));
    }

    @Test
    void cachesPublicEcrUnlessTheAccountAlreadyDoes() {
        Map<String, Object> rule = map(template, "Resources", "PublicEcrCache");
        assertThat(rule).containsEntry("Condition", "CreatesPublicEcrCache");
        assertThat(at(template, "Conditions", "CreatesPublicEcrCache"))
                .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "CreatePublicEcrCache"), "true")));
        assertThat(map(rule, "Properties"))
                .as("public ECR needs no credentials")
                .doesNotContainKeys("CredentialArn", "CustomRoleArn");
    }

    @Test
    void carriesProjectEnvAndOwnerTags() {
        assertThat(list(repository, "Tags"))
                .containsAll(List.of(
                        Map.of("Key", "Project", "Value", Map.of("Ref", "Project")),
                        Map.of("Key", "Env", "Value", Map.of("Ref", "Env")),
                        Map.of("Key", "Owner", "Value", Map.of("Ref", "Owner"))));
    }
}
