package com.kahula.eventpersister.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;

/** The one Jackson configuration for event bodies: strict input, numbers kept at their exact value. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // The listener runs each batch on a new virtual thread, which the default thread-local pool
                    // would give fresh parser and generator buffers every time; a shared pool recycles them.
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .build())
            // A duplicated key has no single meaning, so neither the payload nor its hash would be well defined.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Exact decimals, trailing zeros kept: the stored payload must show 1.10 as 1.10, not 1.1 or a double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();

    private Json() {}

    static JsonNode read(String json) throws JsonProcessingException {
        return READER.readTree(json);
    }

    /** Serializes {@code node} compactly, writing each decimal in plain notation where its input could have had it. */
    static String write(JsonNode node) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator generator = new PlainDecimals(MAPPER.createGenerator(out))) {
            MAPPER.writeTree(generator, node);
        } catch (IOException e) {
            // A tree Jackson parsed always serializes; failing here is a bug, not bad input.
            throw new IllegalStateException("could not serialize a parsed JSON tree", e);
        }
        return out.toString();
    }

    /**
     * Serializes {@code node} compactly in whatever number notation is fastest; for input to the canonicalizer, which
     * re-reads every number as a double anyway.
     */
    static String writeForCanonicalization(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialize a parsed JSON tree", e);
        }
    }

    /**
     * Writes decimals the way plain JSON input spells them: {@code BigDecimal.toString()} would turn
     * {@code 0.0000001} into {@code 1E-7}.
     */
    private static final class PlainDecimals extends JsonGeneratorDelegate {

        // Plain input has a scale of zero or more and the parser refuses numbers over 1000 characters, so this cap
        // keeps every plain input verbatim while an exponent such as 1e-100000 cannot expand into a huge string.
        private static final int MAX_PLAIN_SCALE = 1000;

        PlainDecimals(JsonGenerator delegate) {
            super(delegate, false);
        }

        @Override
        public void writeNumber(BigDecimal value) throws IOException {
            if (value.scale() >= 0 && value.scale() <= MAX_PLAIN_SCALE) {
                delegate.writeNumber(value.toPlainString());
            } else {
                delegate.writeNumber(value);
            }
        }
    }
}
