package dev.kinesisaggs.localaws;

import java.util.stream.Collectors;

/**
 * A program for {@link KilledJvmIT}: starts the emulators, prints one line
 * {@code ready <kinesis port> <dynamodb port> <pid> <pid>} and waits to be killed.
 */
public final class StartEmulatorsAndWait {
    private StartEmulatorsAndWait() {}

    public static void main(String[] args) throws InterruptedException {
        LocalAws aws = LocalAws.start();
        System.out.println("ready " + aws.kinesisEndpoint().getPort() + " " + aws.dynamoDbEndpoint().getPort() + " "
                + aws.pids().values().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
