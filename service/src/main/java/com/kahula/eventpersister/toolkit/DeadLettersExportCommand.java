package com.kahula.eventpersister.toolkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code dead-letters export}: every message, body and attributes, one JSON object a line, into a file. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes every message (or those of --reason) to FILE, one JSON object a line: message_id, reason,"
                    + " sent_at, receive_count, body, and attributes (name -> data_type and string_value, or"
                    + " binary_value in Base64). The file holds payloads: keep it as you keep the table's data."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed while running", "2:wrong arguments (the file exists)"})
final class DeadLettersExportCommand extends ToolkitCommand implements Callable<Integer> {

    @Mixin
    DeadLettersCommand.Reading reading = new DeadLettersCommand.Reading();

    @Mixin
    DeadLettersCommand.Reasons reasons = new DeadLettersCommand.Reasons();

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "A new file to write.")
    Path to = Path.of("dead-letters.ndjson");

    @Override
    public Integer call() {
        if (Files.exists(to)) {
            throw usage("--to " + to + " exists: name a new file");
        }
        long[] written = {0};
        Progress progress = new Progress(commandLine().getErr(), "dead-letters export");
        try (SqsClient sqs = reading.aws.sqs();
                SqsDeadLetters deadLetters = reading.open(sqs);
                Writer file = Files.newBufferedWriter(to, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
            deadLetters.read(letter -> {
                if (reasons.selects(letter)) {
                    write(file, letter);
                    written[0]++;
                    progress.tick(written[0], () -> "written " + written[0]);
                }
                return true;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + to, e);
        }
        commandLine().getOut().printf("dead-letters export: %d messages written to %s%n", written[0], to);
        commandLine().getOut().flush();
        return 0;
    }

    private static void write(Writer file, DeadLetter letter) {
        ObjectNode line = DeadLettersCommand.JSON
                .createObjectNode()
                .put("message_id", letter.messageId())
                .put("reason", letter.reason())
                .put("sent_at", letter.sentAt().toString())
                .put("receive_count", letter.receiveCount())
                .put("body", letter.body());
        ObjectNode attributes = line.putObject("attributes");
        new TreeMap<>(letter.attributes()).forEach((name, attribute) -> {
            ObjectNode value = attributes.putObject(name).put("data_type", attribute.dataType());
            if (attribute.binaryBase64() != null) {
                value.put("binary_value", attribute.binaryBase64());
            } else {
                value.put("string_value", attribute.stringValue());
            }
        });
        try {
            file.write(line.toString());
            file.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
