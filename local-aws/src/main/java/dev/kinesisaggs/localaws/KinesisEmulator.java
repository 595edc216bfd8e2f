package dev.kinesisaggs.localaws;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which npm package emulates Kinesis (see local-aws/README.md for the measurements behind the default). */
public enum KinesisEmulator {
    /** kinesis-mock's npm build: faithful (AT_TIMESTAMP, ChildShards, UpdateShardCount, CBOR), slower as shards fill. */
    KINESIS_LOCAL("kinesis-local"),
    /**
     * kinesalite: fast and steady, but it does not speak CBOR (starting it turns CBOR off for
     * Kinesis clients built afterwards in this JVM), hangs on an AT_TIMESTAMP iterator past the
     * last record, leaves ChildShards empty and has no UpdateShardCount.
     */
    KINESALITE("kinesalite");

    public static final String PROPERTY = "kinesisaggs.kinesisEmulator";
    public static final String ENV = "KINESIS_AGGS_KINESIS_EMULATOR";
    /** Chosen by measurement: see local-aws/README.md (kinesis-local is 20-25 times slower with our ~50 KB aggregates). */
    public static final KinesisEmulator DEFAULT = KINESALITE;

    private final String packageName;

    KinesisEmulator(String packageName) {
        this.packageName = packageName;
    }

    public String packageName() {
        return packageName;
    }

    /** The emulator chosen by system property or environment variable, else {@link #DEFAULT}. */
    public static KinesisEmulator configured() {
        String name = System.getProperty(PROPERTY, System.getenv(ENV));
        return name == null || name.isBlank() ? DEFAULT : byPackageName(name);
    }

    public static KinesisEmulator byPackageName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(emulator -> emulator.packageName.equals(wanted) || emulator.name().equalsIgnoreCase(wanted))
                .findFirst()
                .orElseThrow(() -> new LocalAwsException("Unknown Kinesis emulator '" + name + "': use one of "
                        + Arrays.stream(values()).map(KinesisEmulator::packageName).collect(Collectors.joining(", ")) + "."));
    }
}
