package com.kahula.eventpersister.listener;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A message to park: its body and the message attributes it arrived with, both unchanged, the reason code, a detail
 * line and, for a conflict, the payload hash of the row already stored. The attributes are held in name order.
 */
public record ParkedMessage(
        String body, Map<String, Attribute> attributes, String reason, String detail, Optional<String> storedHash) {

    public ParkedMessage {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(storedHash, "storedHash");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a parked message says why it was parked");
        }
        if (storedHash.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("a stored hash, when there is one, is not blank");
        }
        attributes.forEach((name, value) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an attribute has a name");
            }
            Objects.requireNonNull(value, () -> "the value of attribute " + name);
        });
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /**
     * A message attribute as SQS carries it: its data type ({@code String}, {@code Number} or {@code Binary}, perhaps
     * with a custom suffix such as {@code Binary.trace}) and its one value, text for the first two, bytes for the last.
     */
    public sealed interface Attribute {

        String dataType();
    }

    /** A {@code String} or {@code Number} attribute. */
    public record Text(String dataType, String value) implements Attribute {

        public Text {
            Objects.requireNonNull(value, "value");
            if (!ofType(dataType, "String") && !ofType(dataType, "Number")) {
                throw new IllegalArgumentException("a text attribute is a String or a Number, not " + dataType);
            }
        }
    }

    /** A {@code Binary} attribute; its bytes are copied in and out, so that it cannot change once made. */
    public record Binary(String dataType, byte[] value) implements Attribute {

        public Binary {
            Objects.requireNonNull(value, "value");
            if (!ofType(dataType, "Binary")) {
                throw new IllegalArgumentException("a binary attribute is a Binary, not " + dataType);
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Binary binary
                    && dataType.equals(binary.dataType)
                    && Arrays.equals(value, binary.value);
        }

        @Override
        public int hashCode() {
            return 31 * dataType.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Binary[dataType=" + dataType + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** Whether {@code dataType} is {@code base} or {@code base} with a custom suffix ({@code base.suffix}). */
    private static boolean ofType(String dataType, String base) {
        Objects.requireNonNull(dataType, "dataType");
        return dataType.equals(base) || (dataType.startsWith(base + ".") && dataType.length() > base.length() + 1);
    }
}
