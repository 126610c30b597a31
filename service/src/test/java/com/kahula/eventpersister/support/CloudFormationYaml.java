package com.kahula.eventpersister.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads YAML files, CloudFormation's short intrinsic tags included: {@code !Ref X} becomes {@code {Ref: X}},
 * {@code !GetAtt Queue.Arn} {@code {Fn::GetAtt: Queue.Arn}}, {@code !Sub ...} {@code {Fn::Sub: ...}}, as in the JSON
 * form of a template. Plain YAML (compose files) reads as usual.
 */
public final class CloudFormationYaml {

    private CloudFormationYaml() {}

    /** The file's first document (a Spring Boot application.yml has one per profile after it). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return (Map<String, Object>)
                    new Yaml(new IntrinsicTags()).loadAll(reader).iterator().next();
        } catch (IOException error) {
            throw new IllegalStateException("Cannot read " + file, error);
        }
    }

    /** A map at the path of keys, failing with the path when it is missing. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object root, String... keys) {
        return (Map<String, Object>) at(root, keys);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object root, String... keys) {
        Object value = at(root, keys);
        return value instanceof List<?> list ? (List<Object>) list : List.of(value);
    }

    @SuppressWarnings("unchecked")
    public static Object at(Object root, String... keys) {
        Object current = root;
        StringBuilder path = new StringBuilder();
        for (String key : keys) {
            path.append('/').append(key);
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new AssertionError("Missing " + path);
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }

    private static final class IntrinsicTags extends SafeConstructor {

        IntrinsicTags() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String function = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value = switch (node) {
                        case ScalarNode scalar -> constructScalar(scalar);
                        case SequenceNode sequence -> constructSequence(sequence);
                        case MappingNode mapping -> constructMapping(mapping);
                        default -> throw new IllegalStateException("Unexpected node " + node);
                    };
                    Map<String, Object> intrinsic = new LinkedHashMap<>();
                    intrinsic.put(function, value);
                    return intrinsic;
                }
            });
        }
    }
}
