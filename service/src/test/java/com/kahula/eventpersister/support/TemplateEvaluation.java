package com.kahula.eventpersister.support;

import static com.kahula.eventpersister.support.CloudFormationYaml.at;
import static com.kahula.eventpersister.support.CloudFormationYaml.list;
import static com.kahula.eventpersister.support.CloudFormationYaml.map;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template evaluated as CloudFormation would for one set of parameter values, in one account and region: the
 * parameters' own constraints, the template's {@code Rules}, its {@code Conditions}, and the values of intrinsic
 * functions ({@code Ref}, {@code Fn::Sub}, {@code Fn::If}, {@code Fn::Join}, {@code Fn::FindInMap}, ...). A
 * resource's {@code Ref} or attribute resolves only where {@link #resourceValues} gives it, as AWS documents it for
 * that type; anything else fails, so a test never compares against an unresolved value.
 */
public final class TemplateEvaluation {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, Object> template;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Object> resourceValues = new HashMap<>();

    /**
     * @param given parameter values; the others take their defaults
     * @param region the {@code AWS::Region}; the account is 123456789012, the partition aws
     */
    public TemplateEvaluation(Map<String, Object> template, Map<String, String> given, String region) {
        this.template = template;
        map(template, "Parameters").forEach((name, parameter) -> {
            Object value = given.containsKey(name) ? given.get(name) : ((Map<?, ?>) parameter).get("Default");
            if (value != null) {
                values.put(name, plain(value));
            }
        });
        values.put("AWS::Region", region);
        values.put("AWS::AccountId", "123456789012");
        values.put("AWS::Partition", "aws");
        values.put("AWS::URLSuffix", "amazonaws.com");
    }

    /** Gives a resource's {@code Ref} ("Name") or attribute ("Name.Attribute") the value AWS documents for it. */
    public TemplateEvaluation with(String resourceOrAttribute, Object value) {
        resourceValues.put(resourceOrAttribute, value);
        return this;
    }

    /**
     * What CloudFormation would refuse before creating anything: a parameter missing or outside its AllowedValues,
     * AllowedPattern, MinValue or MaxValue, or a rule's assertion that fails (rules that ask AWS about existing
     * resources, with {@code Fn::ValueOf}, are not evaluated). Empty when the stack would be accepted.
     */
    public List<String> refusals() {
        List<String> refused = new ArrayList<>();
        map(template, "Parameters").forEach((name, node) -> {
            Map<?, ?> parameter = (Map<?, ?>) node;
            String value = values.get(name);
            if (value == null) {
                refused.add(name + ": required");
                return;
            }
            if (parameter.get("AllowedValues") instanceof List<?> allowed
                    && allowed.stream().map(TemplateEvaluation::plain).noneMatch(value::equals)) {
                refused.add(name + ": not one of its allowed values");
            }
            if (parameter.get("AllowedPattern") instanceof String pattern && !value.matches(pattern)) {
                refused.add(name + ": does not match its pattern");
            }
            if ("Number".equals(parameter.get("Type"))) {
                BigDecimal number = new BigDecimal(value);
                if (parameter.get("MinValue") != null
                        && number.compareTo(new BigDecimal(plain(parameter.get("MinValue")))) < 0) {
                    refused.add(name + ": below its MinValue");
                }
                if (parameter.get("MaxValue") != null
                        && number.compareTo(new BigDecimal(plain(parameter.get("MaxValue")))) > 0) {
                    refused.add(name + ": above its MaxValue");
                }
            }
        });
        if (template.get("Rules") instanceof Map<?, ?> rules) {
            rules.forEach((name, node) -> {
                Map<?, ?> rule = (Map<?, ?>) node;
                if (asksAws(rule)) {
                    return;
                }
                if (rule.get("RuleCondition") != null && !truth(rule.get("RuleCondition"))) {
                    return;
                }
                for (Object assertion : (List<?>) rule.get("Assertions")) {
                    if (!truth(((Map<?, ?>) assertion).get("Assert"))) {
                        refused.add(name + ": " + ((Map<?, ?>) assertion).get("AssertDescription"));
                    }
                }
            });
        }
        return refused;
    }

    public boolean condition(String name) {
        return truth(at(template, "Conditions", name));
    }

    /** Whether the resource is created with these parameters (its Condition, if any, holds). */
    public boolean creates(String resource) {
        Object condition = map(template, "Resources", resource).get("Condition");
        return condition == null || condition((String) condition);
    }

    /** A node's value, every intrinsic function in it evaluated; {@code AWS::NoValue} removes a key or an item. */
    public Object value(Object node) {
        return switch (node) {
            case Map<?, ?> map
            when map.size() == 1 && isFunction(map.keySet().iterator().next()) ->
                function(
                        (String) map.keySet().iterator().next(),
                        map.values().iterator().next());
            case Map<?, ?> map -> {
                Map<String, Object> resolved = new LinkedHashMap<>();
                map.forEach((key, item) -> {
                    Object value = value(item);
                    if (value != NoValue.INSTANCE) {
                        resolved.put(String.valueOf(key), value);
                    }
                });
                yield resolved;
            }
            case List<?> list ->
                list.stream()
                        .map(this::value)
                        .filter(value -> value != NoValue.INSTANCE)
                        .toList();
            case null -> null;
            default -> node;
        };
    }

    /** The value of a resource's property path, e.g. {@code string("ArchiveBucket", "BucketName")}. */
    public String string(String resource, String... path) {
        return String.valueOf(property(resource, path));
    }

    public Object property(String resource, String... path) {
        String[] full = new String[path.length + 3];
        full[0] = "Resources";
        full[1] = resource;
        full[2] = "Properties";
        System.arraycopy(path, 0, full, 3, path.length);
        return value(at(template, full));
    }

    private Object function(String name, Object argument) {
        return switch (name) {
            case "Ref" -> reference((String) argument);
            case "Fn::GetAtt" -> resourceValue(String.valueOf(argument));
            case "Fn::Sub" -> substitute(argument);
            case "Fn::If" -> {
                List<?> branches = (List<?>) argument;
                yield value(condition((String) branches.get(0)) ? branches.get(1) : branches.get(2));
            }
            case "Fn::Join" -> {
                List<?> parts = (List<?>) argument;
                yield String.join(
                        (String) parts.get(0),
                        ((List<?>) value(parts.get(1)))
                                .stream().map(String::valueOf).toList());
            }
            case "Fn::Split" -> {
                List<?> parts = (List<?>) argument;
                yield List.of(String.valueOf(value(parts.get(1))).split(Pattern.quote((String) parts.get(0)), -1));
            }
            case "Fn::Select" -> {
                List<?> parts = (List<?>) argument;
                yield ((List<?>) value(parts.get(1))).get(Integer.parseInt(plain(value(parts.get(0)))));
            }
            case "Fn::FindInMap" -> {
                List<?> keys = (List<?>) argument;
                yield at(
                        template,
                        "Mappings",
                        plain(value(keys.get(0))),
                        plain(value(keys.get(1))),
                        plain(value(keys.get(2))));
            }
            case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::Contains", "Condition" ->
                truth(Map.of(name, argument));
            default -> throw new IllegalArgumentException("Not evaluated here: " + name);
        };
    }

    private boolean truth(Object node) {
        if (!(node instanceof Map<?, ?> map) || map.size() != 1) {
            throw new IllegalArgumentException("Not a condition: " + node);
        }
        String name = (String) map.keySet().iterator().next();
        Object argument = map.values().iterator().next();
        return switch (name) {
            case "Condition" -> condition((String) argument);
            case "Fn::Equals" -> {
                List<?> sides = (List<?>) argument;
                yield Objects.equals(plain(value(sides.get(0))), plain(value(sides.get(1))));
            }
            case "Fn::Not" -> !truth(((List<?>) argument).getFirst());
            case "Fn::And" -> ((List<?>) argument).stream().allMatch(this::truth);
            case "Fn::Or" -> ((List<?>) argument).stream().anyMatch(this::truth);
            case "Fn::Contains" -> {
                List<?> sides = (List<?>) argument;
                yield ((List<?>) value(sides.get(0)))
                        .stream().map(TemplateEvaluation::plain).anyMatch(plain(value(sides.get(1)))::equals);
            }
            default -> throw new IllegalArgumentException("Not a condition function: " + name);
        };
    }

    private Object reference(String name) {
        if ("AWS::NoValue".equals(name)) {
            return NoValue.INSTANCE;
        }
        if (values.containsKey(name)) {
            return values.get(name);
        }
        return resourceValue(name);
    }

    private Object resourceValue(String name) {
        if (!resourceValues.containsKey(name)) {
            throw new IllegalArgumentException("No value given for " + name + " (see with(...))");
        }
        return resourceValues.get(name);
    }

    private String substitute(Object argument) {
        String text;
        Map<String, Object> locals = new HashMap<>();
        if (argument instanceof List<?> list) {
            text = (String) list.get(0);
            ((Map<?, ?>) list.get(1)).forEach((key, item) -> locals.put(String.valueOf(key), value(item)));
        } else {
            text = (String) argument;
        }
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            Object resolved = locals.containsKey(name) ? locals.get(name) : reference(name);
            variable.appendReplacement(out, Matcher.quoteReplacement(plain(resolved)));
        }
        variable.appendTail(out);
        // ${!Literal} stands for ${Literal}
        return out.toString().replace("${!", "${");
    }

    private static boolean asksAws(Object node) {
        return switch (node) {
            case Map<?, ?> map ->
                map.keySet().stream()
                                .anyMatch(key ->
                                        String.valueOf(key).startsWith("Fn::ValueOf") || "Fn::RefAll".equals(key))
                        || map.values().stream().anyMatch(TemplateEvaluation::asksAws);
            case List<?> list -> list.stream().anyMatch(TemplateEvaluation::asksAws);
            default -> false;
        };
    }

    private static boolean isFunction(Object key) {
        String name = String.valueOf(key);
        return name.equals("Ref") || name.equals("Condition") || name.startsWith("Fn::");
    }

    /** Parameters and rules compare strings: 30 and "30" are the same value. */
    private static String plain(Object value) {
        return String.valueOf(value);
    }

    private enum NoValue {
        INSTANCE
    }
}
