package dev.kinesisaggs.localaws;

/** Whether the machine's {@code node} and {@code npm} can run the emulators. */
public sealed interface NodeCheck {

    /** Node 20 or newer and npm answer on the PATH. */
    record Found(int nodeMajorVersion, String nodeVersion, String npmVersion) implements NodeCheck {}

    /** One sentence saying what is missing and what to do. */
    record Unusable(String message) implements NodeCheck {}
}
