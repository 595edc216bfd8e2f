package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lambda's CPU share for an environment's memory size (one vCPU at 1,769 MB, in proportion), through a
 * cgroup v1 {@code cpu} group of its own: {@code cpu.cfs_quota_us} over a 100 ms period. The
 * environment's command is prefixed with a shell that joins the group, then becomes the JVM, so that
 * only the function's JVM is limited.
 */
final class CpuShare {

    private static final long PERIOD_US = 100_000;

    private CpuShare() {
    }

    static Path createGroup(Path parent, int environment, double vcpus) {
        Path group = parent.resolve("esm-env-" + ProcessHandle.current().pid() + "-" + environment);
        try {
            Files.createDirectories(group);
            Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(Math.max(1000, Math.round(vcpus * PERIOD_US))));
            return group;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set a CPU share in " + parent
                    + " (a cgroup v1 cpu directory this user may create groups in is needed): " + e.getMessage(), e);
        }
    }

    /** {@code sh -c 'echo $$ > GROUP/cgroup.procs && exec "$@"'}: the shell joins the group, then runs the command in its place. */
    static List<String> joinAndExec(Path group) {
        return List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", group.resolve("cgroup.procs").toString());
    }

    static void removeGroup(Path group) {
        try {
            Files.deleteIfExists(group); // a cgroup directory is removed with rmdir once its processes are gone
        } catch (IOException ignored) {
            // still busy for a moment; the kernel keeps an empty group harmlessly
        }
    }
}
