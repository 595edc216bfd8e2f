package dev.kinesisaggs.localaws;

import java.util.stream.Collectors;

/**
 * A program for {@link KilledJvmIT}: starts the emulators, prints one line
 * {@code ready <kinesis port> <dynamodb port> <pid> <pid>} and waits to be killed (or for its stdin to close).
 */
public final class StartEmulatorsAndWait {
    private StartEmulatorsAndWait() {}

    public static void main(String[] args) throws java.io.IOException {
        LocalAws aws = LocalAws.start();
        System.out.println("ready " + aws.kinesisEndpoint().getPort() + " " + aws.dynamoDbEndpoint().getPort() + " "
                + aws.pids().values().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        System.out.flush();
        // if the test JVM dies, our stdin closes: end too, so that no test leaves this JVM behind
        while (System.in.read() != -1) {
            // nothing is ever sent
        }
        System.exit(0);
    }
}
