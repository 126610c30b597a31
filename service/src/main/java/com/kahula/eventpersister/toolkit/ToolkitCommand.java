package com.kahula.eventpersister.toolkit;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The base of every toolkit command: its spec, to write and to refuse arguments picocli alone cannot judge (exit code 2). */
abstract class ToolkitCommand {

    @Spec
    @Nullable
    CommandSpec spec;

    final ParameterException usage(String message) {
        return new ParameterException(commandLine(), message);
    }

    final CommandLine commandLine() {
        if (spec == null) {
            throw new IllegalStateException("picocli injects the spec");
        }
        return spec.commandLine();
    }
}
