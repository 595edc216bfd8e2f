package dev.kinesisaggs.app.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes a demo runs, named: its own JVM ({@code demo}), each emulator by its npm package ({@code kinesalite},
 * {@code kinesis-local}, {@code dynalite}) and each execution environment ({@code env1}, {@code env2}, ... in the
 * order they were first seen). They are found among the JVM's descendants by their command lines, so that nothing
 * else has to hand out process ids.
 */
public final class DemoProcesses {
    /** What every emulator's command line holds: the script that ties its life to the JVM's. */
    private static final String EMULATOR_MARK = "kinesis-aggs-guard.js";
    /** The main class of AWS's Lambda runtime client, which each execution environment runs. */
    private static final String ENVIRONMENT_MARK = "AWSLambda";
    private static final List<String> EMULATORS = List.of("kinesis-local", "kinesalite", "dynalite");

    /** One named process. */
    public record Named(String name, ProcessHandle process) {
    }

    private final ProcessHandle root;
    private final Map<Long, String> environments = new HashMap<>();

    public DemoProcesses(ProcessHandle root) {
        this.root = root;
    }

    /** The root first, then the emulators, then the execution environments; processes of neither kind are left out. */
    public synchronized List<Named> list() {
        List<Named> emulators = new ArrayList<>();
        List<Named> environmentsNow = new ArrayList<>();
        root.descendants().filter(ProcessHandle::isAlive).forEach(p -> {
            String commandLine = p.info().commandLine().orElse("");
            if (commandLine.contains(EMULATOR_MARK)) {
                emulator(commandLine).ifPresent(name -> emulators.add(new Named(name, p)));
            } else if (commandLine.contains(ENVIRONMENT_MARK)) {
                String name = environments.computeIfAbsent(p.pid(), pid -> "env" + (environments.size() + 1));
                environmentsNow.add(new Named(name, p));
            }
        });
        emulators.sort((a, b) -> a.name().compareTo(b.name()));
        environmentsNow.sort((a, b) -> Integer.compare(number(a.name()), number(b.name())));
        List<Named> all = new ArrayList<>();
        all.add(new Named("demo", root));
        all.addAll(emulators);
        all.addAll(environmentsNow);
        return all;
    }

    private static Optional<String> emulator(String commandLine) {
        // the package's own directory in the script's path, e.g. .../node_modules/kinesalite/cli.js
        return EMULATORS.stream().filter(name -> commandLine.contains("/" + name + "/")).findFirst();
    }

    private static int number(String environment) {
        return Integer.parseInt(environment.substring("env".length()));
    }
}
