package com.kahula.eventpersister;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the names a Markdown page states that the code does not have: {@code persister.*} properties and metrics in
 * backticks, with their tags in braces or in a backticked {@code tag=value} after the metric, parking reasons in a table headed {@code reason} or after {@code --reason} or {@code reason=}, and the
 * toolkit's {@code --options} in backticks, in {@code java -jar} examples and in the command of a {@code run-task}.
 */
record DocsAgainstCode(
        Set<String> properties,
        Map<String, Map<String, Set<String>>> metricTags,
        Set<String> reasons,
        Set<String> options) {

    private static final Pattern PERSISTER_NAME = Pattern.compile("`(persister\\.[a-z0-9.-]+)(\\[\\*])?(\\{[^}`]*})?`");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
    private static final Pattern QUOTED_OPTION = Pattern.compile("\"(--[a-z][a-z0-9-]*)\"");
    private static final Pattern SEPARATE_TAG = Pattern.compile("`(?:\\.\\.\\.)?([a-z]+=[a-z-]+)`");
    private static final Pattern REASON_OPTION = Pattern.compile("--reason\"?[ ,]\"?([a-z-]+)");

    /** One line of one page that names what the code lacks, and what. */
    record Mismatch(String page, int line, String what) {
        @Override
        public String toString() {
            return page + ":" + line + ": " + what;
        }
    }

    /** Every mismatch of {@code page}, whose text is {@code markdown}. */
    List<Mismatch> check(String page, String markdown) {
        List<Mismatch> found = new ArrayList<>();
        boolean inCode = false;
        boolean inReasonTable = false;
        String tableKind = "";
        boolean toolkitPage = page.endsWith("toolkit.md");
        StringBuilder command = new StringBuilder();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                command.append(line.strip()).append(' ');
                if (!line.endsWith("\\")) {
                    if (toolkitPage) {
                        toolkitCommand(command.toString(), page, number, found);
                    }
                    command.setLength(0);
                }
                continue;
            }
            tableKind = !line.startsWith("|") ? "" : tableKind.isEmpty() ? line.split("\\|")[1].strip() : tableKind;
            inReasonTable = tableKind.equals("reason");
            if (inReasonTable && !line.matches("\\|\\s*(reason|-+)\\s*\\|.*")) {
                Matcher cell = BACKTICKED.matcher(line.split("\\|")[1]);
                while (cell.find()) {
                    reason(cell.group(1), page, number, found);
                }
            }
            persisterNames(line, tableKind, page, number, found);
            separateTags(line, page, number, found);
            if (toolkitPage) {
                Matcher span = BACKTICKED.matcher(line);
                while (span.find()) {
                    options(OPTION.matcher(span.group(1)), page, number, found);
                }
                reasons(line, page, number, found);
            }
        }
        return found;
    }

    /** In a table headed {@code metric} or {@code property}, the first cell must name one of that kind. */
    private void persisterNames(String line, String rowOf, String page, int number, List<Mismatch> found) {
        Matcher name = PERSISTER_NAME.matcher(line);
        while (name.find()) {
            String stated = name.group(1);
            String tags = name.group(3);
            boolean metric = metricTags.containsKey(stated);
            boolean firstCell = name.start() == 2;
            if ((rowOf.equals("metric") && firstCell || tags != null) && !metric) {
                found.add(new Mismatch(page, number, "no metric " + stated));
            } else if (rowOf.equals("property") && firstCell && !isProperty(stated)) {
                found.add(new Mismatch(page, number, "no property " + stated));
            } else if (!metric && !isProperty(stated)) {
                found.add(new Mismatch(page, number, "no property or metric " + stated));
            } else if (tags != null) {
                tags(stated, tags.substring(1, tags.length() - 1), page, number, found);
            }
        }
    }

    /** A backticked {@code tag=value} is a tag of the last metric the line named before it. */
    private void separateTags(String line, String page, int number, List<Mismatch> found) {
        Matcher tag = SEPARATE_TAG.matcher(line);
        while (tag.find()) {
            String metric = null;
            Matcher name = PERSISTER_NAME.matcher(line).region(0, tag.start());
            while (name.find()) {
                metric = metricTags.containsKey(name.group(1)) ? name.group(1) : metric;
            }
            if (metric == null) {
                found.add(new Mismatch(page, number, "no metric named before " + tag.group(1)));
            } else {
                tags(metric, tag.group(1), page, number, found);
            }
        }
    }

    private boolean isProperty(String name) {
        return properties.contains(name) || properties.stream().anyMatch(known -> known.startsWith(name + "."));
    }

    private void tags(String metric, String tags, String page, int number, List<Mismatch> found) {
        for (String tag : tags.split(",")) {
            String[] keyValue = tag.strip().split("=", 2);
            Set<String> values = metricTags.get(metric).get(keyValue[0]);
            if (values == null) {
                found.add(new Mismatch(page, number, "no tag " + keyValue[0] + " on " + metric));
            } else if (keyValue.length == 2 && !keyValue[1].equals("...") && !values.contains(keyValue[1])) {
                found.add(new Mismatch(page, number, "no " + tag.strip() + " on " + metric));
            }
        }
    }

    private void toolkitCommand(String command, String page, int number, List<Mismatch> found) {
        if (command.startsWith("java -jar ")) {
            options(OPTION.matcher(command), page, number, found);
        } else if (command.contains("\"command\":[")) {
            options(QUOTED_OPTION.matcher(command), page, number, found);
        } else {
            return;
        }
        reasons(command, page, number, found);
    }

    private void options(Matcher option, String page, int number, List<Mismatch> found) {
        while (option.find()) {
            if (!options.contains(option.group(1))) {
                found.add(new Mismatch(page, number, "no toolkit option " + option.group(1)));
            }
        }
    }

    private void reasons(String text, String page, int number, List<Mismatch> found) {
        Matcher reason = REASON_OPTION.matcher(text);
        while (reason.find()) {
            reason(reason.group(1), page, number, found);
        }
    }

    private void reason(String stated, String page, int number, List<Mismatch> found) {
        if (!reasons.contains(stated)) {
            found.add(new Mismatch(page, number, "no parking reason " + stated));
        }
    }
}
