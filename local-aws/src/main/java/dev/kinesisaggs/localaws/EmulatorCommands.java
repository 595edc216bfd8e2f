package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command lines and environments of the emulators. */
final class EmulatorCommands {
    private final NodeInstallation installation;
    private final LocalAwsOptions options;

    EmulatorCommands(NodeInstallation installation, LocalAwsOptions options) {
        this.installation = installation;
        this.options = options;
    }

    EmulatorProcess dynalite(int port, Path runDirectory, PidFiles pidFiles) {
        // with PartiQL's INSERT, which the function writes trips with and dynalite lacks (unless asked not to)
        List<String> command = options.partiql() ? node("dynalite/cli.js", installation.partiqlScript()) : node("dynalite/cli.js");
        command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port),
                // with the default 500 ms the SDK's table waiter polls for 20 s
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        options.persistence().ifPresent(data -> command.addAll(List.of("--path", directory(data, "dynamodb"))));
        return EmulatorProcess.start("dynalite", port, command, Map.of(), runDirectory.resolve("dynalite-" + port + ".log"),
                pidFiles, false);
    }

    EmulatorProcess kinesis(int port, Path runDirectory, PidFiles pidFiles) {
        return switch (options.kinesisEmulator()) {
            case KINESIS_LOCAL -> kinesisLocal(port, runDirectory, pidFiles);
            case KINESALITE -> kinesalite(port, runDirectory, pidFiles);
        };
    }

    private EmulatorProcess kinesisLocal(int port, Path runDirectory, PidFiles pidFiles) {
        List<String> command = node("kinesis-local/main.js");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
        // it always opens a TLS port too (default 4567, dynalite's default): give it a free one
        environment.put("KINESIS_MOCK_TLS_PORT", Integer.toString(LoopbackPorts.anyFree()));
        // without its certificate file it crashes at start
        environment.put("KINESIS_MOCK_CERT_PATH", installation.resolve("kinesis-local/server.json").toString());
        environment.put("CREATE_STREAM_DURATION", "0ms");
        environment.put("DELETE_STREAM_DURATION", "0ms");
        environment.put("UPDATE_SHARD_COUNT_DURATION", "0ms");
        environment.put("REGISTER_STREAM_CONSUMER_DURATION", "0ms");
        environment.put("DEREGISTER_STREAM_CONSUMER_DURATION", "0ms");
        environment.put("LOG_LEVEL", "WARN");
        environment.put("AWS_REGION", LocalAwsClients.REGION.id());
        options.persistence().ifPresent(data -> {
            environment.put("SHOULD_PERSIST_DATA", "true");
            environment.put("PERSIST_PATH", directory(data, "kinesis-local"));
            environment.put("PERSIST_INTERVAL", "1s");
        });
        return EmulatorProcess.start("kinesis-local", port, command, environment,
                runDirectory.resolve("kinesis-local-" + port + ".log"), pidFiles,
                // it writes its data every second and on SIGTERM; dynalite and kinesalite write through LevelDB at once
                options.persistence().isPresent());
    }

    private EmulatorProcess kinesalite(int port, Path runDirectory, PidFiles pidFiles) {
        List<String> command = node("kinesalite/cli.js");
        command.addAll(List.of("--port", Integer.toString(port),
                "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "50"));
        options.persistence().ifPresent(data -> command.addAll(List.of("--path", directory(data, "kinesalite"))));
        return EmulatorProcess.start("kinesalite", port, command, Map.of(), runDirectory.resolve("kinesalite-" + port + ".log"),
                pidFiles, false);
    }

    /**
     * s3rver keeps its buckets as files: in the data directory's {@code s3}, else in the run directory (deleted at
     * close). The guard script gives it our key pair (it knows only its own).
     */
    EmulatorProcess s3rver(int port, Path runDirectory, PidFiles pidFiles) {
        List<String> command = node("s3rver/bin/s3rver.js");
        String data = options.persistence().map(d -> directory(d, "s3")).orElseGet(() -> directory(runDirectory, "s3rver-" + port));
        command.addAll(List.of("--directory", data, "--address", "127.0.0.1", "--port", Integer.toString(port), "--silent"));
        return EmulatorProcess.start("s3rver", port, command,
                Map.of("KINESIS_AGGS_S3_KEY_PAIR", LocalAwsClients.ACCESS_KEY_ID + ":" + LocalAwsClients.SECRET_ACCESS_KEY),
                runDirectory.resolve("s3rver-" + port + ".log"), pidFiles, false);
    }

    private List<String> node(String script, Path... preloads) {
        List<String> command = new ArrayList<>();
        command.add(NodeRuntime.node());
        command.add("--require");
        command.add(installation.guardScript().toString());
        for (Path preload : preloads) {
            command.add("--require");
            command.add(preload.toString());
        }
        command.add(installation.resolve(script).toString());
        return command;
    }

    private static String directory(Path data, String name) {
        Path directory = data.resolve(name).toAbsolutePath();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new LocalAwsException("Could not create the data directory " + directory + " (" + e.getMessage()
                    + "): choose a directory you can write to.", e);
        }
        return directory.toString();
    }
}
