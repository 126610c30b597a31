package com.kahula.bench.cost;

import static com.kahula.bench.cost.ItemSizesTests.item;
import static com.kahula.bench.cost.ItemSizesTests.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The item an UpdateItem leaves, for plain assignments and removals, and a refusal of anything else. */
class UpdateExpressionsTests {

    @Test
    void assignsAndRemovesTopLevelAttributesByPlaceholderOrPlainName() {
        var before = item("{\"id\": {\"S\": \"1\"}, \"status\": {\"S\": \"PENDING\"}, \"outbox\": {\"S\": \"p-01\"}}");

        var after = UpdateExpressions.apply(
                before,
                "SET #status = :emitted, at = :at REMOVE #outbox",
                Map.of("#status", "status", "#outbox", "outbox"),
                Map.of(":emitted", value("{\"S\": \"EMITTED\"}"), ":at", value("{\"S\": \"t\"}")));

        assertThat(after)
                .isEqualTo(item("{\"id\": {\"S\": \"1\"}, \"status\": {\"S\": \"EMITTED\"}, \"at\": {\"S\": \"t\"}}"));
        assertThat(before).containsKey("outbox");
    }

    @Test
    void refusesExpressionsItCannotFollow() {
        var before = item("{\"id\": {\"S\": \"1\"}, \"n\": {\"N\": \"1\"}}");
        Map<String, String> names = Map.of("#n", "n");
        var one = Map.of(":one", value("{\"N\": \"1\"}"));

        assertThatThrownBy(() -> UpdateExpressions.apply(before, "SET #n = #n + :one", names, one))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> UpdateExpressions.apply(before, "ADD #n :one", names, one))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> UpdateExpressions.apply(before, "SET #n = if_not_exists(#n, :one)", names, one))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> UpdateExpressions.apply(before, "SET a.b = :one", names, one))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
