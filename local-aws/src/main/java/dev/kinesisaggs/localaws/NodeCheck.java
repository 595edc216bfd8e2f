package dev.kinesisaggs.localaws;

/** Whether the machine's {@code node} and {@code npm} can run the emulators. */
public sealed interface NodeCheck {

    /** Node 20 or newer answers on the PATH, and npm too ({@code npmVersion} is null when it was not asked for). */
    record Found(int nodeMajorVersion, String nodeVersion, String npmVersion) implements NodeCheck {}

    /** One sentence saying what is missing and what to do. */
    record Unusable(String message) implements NodeCheck {}
}
