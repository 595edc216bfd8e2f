package dev.kinesisaggs.esm.runtime;

import java.io.PrintStream;

/**
 * Where a function's log goes: what its runtime and handler write to standard output and error,
 * line by line, between Lambda's own {@code START}, {@code END} and {@code REPORT} lines, as
 * CloudWatch Logs would show them.
 */
@FunctionalInterface
public interface FunctionLog {

    void line(String line);

    static FunctionLog to(PrintStream out) {
        return out::println;
    }

    static FunctionLog discard() {
        return line -> { };
    }
}
