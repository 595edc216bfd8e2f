package dev.kinesisaggs.esm.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JVM flags the Lambda Java runtime derives from the function's memory setting, so that a
 * local JVM is sized as the function's would be: maximum heap 85% of the memory, metaspace 10%,
 * code cache 5% (the runtime's command line as published, e.g. {@code -XX:MaxHeapSize=222823k
 * -XX:MaxMetaspaceSize=26214k -XX:ReservedCodeCacheSize=13107k} at 256 MB), the serial collector
 * (AWS documents it as the default), and C1 only ({@code TieredStopAtLevel=1}, documented as the
 * java17 and java21 runtimes' default). Also: the function's memory as the machine's (so that the
 * initial heap is 1/64 of it, as on Lambda), and two visible processors (as reported on Lambda at
 * these sizes), whatever the CPU share.
 *
 * <p>AWS documents the function's {@code JAVA_TOOL_OPTIONS} as the way to change these settings (tiered
 * compilation up to C2 for compute-intensive functions, another collector), so a flag given there wins: the JVM
 * reads {@code JAVA_TOOL_OPTIONS} before its command line, where a flag of ours would override the user's (and a
 * second collector would stop the JVM), so {@link #flagsBeside} leaves out every flag of ours that the user's
 * options set.
 */
public record LambdaJvmFlags(int memoryMb) {

    /** Class data sharing when it can (an archive the JVM cannot map does not stop it). */
    private static final String SHARE = "-Xshare:auto";

    /** Lambda's memory range, in MB. */
    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 10_240;
    /** The memory at which a function has one full vCPU ("Configure Lambda function memory"). */
    public static final int ONE_VCPU_MB = 1769;

    public LambdaJvmFlags {
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            throw new IllegalArgumentException("The memory size must be between " + MIN_MEMORY_MB + " and " + MAX_MEMORY_MB
                    + " MB, as on Lambda, not " + memoryMb + ".");
        }
    }

    public List<String> flags() {
        long kb = memoryMb * 1024L;
        return List.of(
                // the memory the JVM believes the machine has: its initial heap (1/64) follows from it
                "-XX:MaxRAM=" + kb + "k",
                "-XX:MaxHeapSize=" + kb * 85 / 100 + "k",
                "-XX:MaxMetaspaceSize=" + kb * 10 / 100 + "k",
                "-XX:ReservedCodeCacheSize=" + kb * 5 / 100 + "k",
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-XX:ActiveProcessorCount=2",
                SHARE);
    }

    /**
     * {@link #flags()} less those that the function's {@code JAVA_TOOL_OPTIONS} sets itself: the same {@code -XX} option
     * (whatever its value or sign, {@code -Xmx} and {@code -Xss} counting as the heap's and the stack's), {@code -Xshare},
     * the collector when it chooses one, tiered compilation when it mentions it. How Lambda merges the two is not
     * documented; this keeps every default the user's options leave alone.
     */
    public List<String> flagsBeside(String javaToolOptions) {
        Set<String> given = Arrays.stream(javaToolOptions.strip().split("\\s+")).map(LambdaJvmFlags::option)
                .filter(o -> !o.isEmpty()).collect(Collectors.toSet());
        boolean collector = given.stream().anyMatch(o -> COLLECTOR.matcher(o).matches());
        boolean tiered = given.stream().anyMatch(o -> o.startsWith("Tiered"));
        return flags().stream().filter(flag -> {
            String o = option(flag);
            return !given.contains(o) && !(collector && COLLECTOR.matcher(o).matches()) && !(tiered && o.startsWith("Tiered"));
        }).toList();
    }

    /**
     * {@link #flagsBeside(String)} with the runtime's class data sharing archive ({@link RuntimeArchive}), as Lambda's
     * Java runtimes start with one of their own, unless the function's {@code JAVA_TOOL_OPTIONS} choose their own sharing
     * ({@code -Xshare}, {@code -XX:SharedArchiveFile}) or a JVM that cannot map it: the archive is made with compressed
     * oops and class pointers, which ZGC and their own flags turn off, and a JVM that cannot map the archive it is given
     * shares no class at all, where without it the JDK's own archive for that mode would serve.
     */
    public List<String> flagsBeside(String javaToolOptions, Optional<Path> runtimeArchive) {
        List<String> flags = new ArrayList<>(flagsBeside(javaToolOptions));
        List<String> given = Arrays.stream(javaToolOptions.strip().split("\\s+")).toList();
        boolean ownArchive = given.stream().map(LambdaJvmFlags::option).anyMatch(o -> o.equals("SharedArchiveFile"));
        boolean unmappable = given.stream().anyMatch(f -> f.equals("-XX:+UseZGC") || f.equals("-XX:-UseCompressedOops")
                || f.equals("-XX:-UseCompressedClassPointers"));
        if (runtimeArchive.isPresent() && flags.contains(SHARE) && !ownArchive && !unmappable) {
            flags.add(flags.indexOf(SHARE) + 1, "-XX:SharedArchiveFile=" + runtimeArchive.get());
        }
        return flags;
    }

    /** The options that choose the collector: a JVM given two of them refuses to start. */
    private static final Pattern COLLECTOR = Pattern.compile("Use(Serial|Parallel|ParallelOld|G1|Z|Shenandoah|Epsilon|ConcMarkSweep)GC");

    /**
     * The option a flag sets: {@code TieredStopAtLevel} of {@code -XX:TieredStopAtLevel=1}, {@code UseSerialGC} of
     * {@code -XX:+UseSerialGC}, {@code MaxHeapSize} of {@code -Xmx300m}, {@code Xshare} of {@code -Xshare:auto}; empty for
     * flags that set none of ours.
     */
    private static String option(String flag) {
        if (flag.startsWith("-Xmx")) {
            return "MaxHeapSize";
        }
        if (flag.startsWith("-Xss")) {
            return "ThreadStackSize";
        }
        if (flag.startsWith("-Xshare:")) {
            return "Xshare";
        }
        if (!flag.startsWith("-XX:")) {
            return "";
        }
        String rest = flag.substring(4);
        if (rest.startsWith("+") || rest.startsWith("-")) {
            rest = rest.substring(1);
        }
        int equals = rest.indexOf('=');
        return equals < 0 ? rest : rest.substring(0, equals);
    }

    /** Lambda's CPU share at this memory: one vCPU at 1,769 MB, in proportion below and above. */
    public double vcpus() {
        return memoryMb / (double) ONE_VCPU_MB;
    }
}
