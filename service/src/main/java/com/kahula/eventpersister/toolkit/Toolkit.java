package com.kahula.eventpersister.toolkit;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The toolkit's entry: {@code java -jar event-persister.jar saga|restore|replay|followups|dead-letters ...} runs one command and
 * exits, with
 * no Spring context, web server or listener; any other arguments start the service as before.
 */
@Command(
        name = "event-persister",
        mixinStandardHelpOptions = true,
        description = "The operator's toolkit of the event persister.",
        subcommands = {
            SagaCommand.class,
            RestoreCommand.class,
            ReplayCommand.class,
            FollowUpsCommand.class,
            DeadLettersCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failed while running (AWS refused or failed; the message says which)",
            "2:the arguments are wrong (the message says which)"
        })
public final class Toolkit {

    /** The first arguments that name a command of the toolkit. */
    public static final Set<String> COMMANDS = Set.of("saga", "restore", "replay", "followups", "dead-letters");

    private Toolkit() {}

    /** Whether these command-line arguments name a toolkit command rather than start the service. */
    public static boolean handles(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs the command from the command line: output on stdout, progress and errors on stderr, AWS's logs quiet. */
    public static int runFromCommandLine(String[] args) {
        QuietLogging.apply();
        return run(
                args,
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    }

    /** Runs the command; returns its exit code: 0 done, 1 failed while running, 2 wrong arguments. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Toolkit())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((thrown, command, parseResult) -> {
                    // the service's adapters fail their futures: what AWS said is the cause
                    Throwable error = thrown instanceof CompletionException && thrown.getCause() != null
                            ? thrown.getCause()
                            : thrown;
                    // "followups pending", not just "pending": the path below the toolkit's own name
                    String name = command.getCommandSpec()
                            .qualifiedName()
                            .substring(command.getCommandSpec().root().name().length())
                            .strip();
                    // One line, never a stack trace: SDK messages name the operation and the resource, not payloads.
                    command.getErr()
                            .println(name + " failed: "
                                    + java.util.Objects.requireNonNullElse(
                                            error.getMessage(), error.getClass().getSimpleName()));
                    LoggerFactory.getLogger(Toolkit.class).debug("{} failed", name, error);
                    return 1;
                });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
