package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine's {@code node} and {@code npm}, found on the PATH. */
public final class NodeRuntime {
    public static final int MINIMUM_NODE_MAJOR = 20;
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+).*");
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private NodeRuntime() {}

    public static String node() {
        return WINDOWS ? "node.exe" : "node";
    }

    public static String npm() {
        return WINDOWS ? "npm.cmd" : "npm";
    }

    /** Runs {@code node --version} and {@code npm --version}. */
    public static NodeCheck check() {
        return check(true);
    }

    /** Runs {@code node --version}, and {@code npm --version} when npm is needed (to install). */
    public static NodeCheck check(boolean needNpm) {
        String nodeVersion = versionOf(node());
        return interpret(nodeVersion, needNpm, needNpm && nodeVersion != null ? versionOf(npm()) : null);
    }

    /** What the printed versions (null: the command did not run) mean for us. */
    static NodeCheck interpret(String nodeVersion, boolean needNpm, String npmVersion) {
        String install = "install Node.js " + MINIMUM_NODE_MAJOR + " or newer (with npm) from https://nodejs.org"
                + " or your package manager and make sure `node` and `npm` are on the PATH";
        if (nodeVersion == null) {
            return new NodeCheck.Unusable("Node.js was not found: " + install + ".");
        }
        Matcher matcher = VERSION.matcher(nodeVersion);
        if (!matcher.matches()) {
            return new NodeCheck.Unusable("`node --version` printed '" + nodeVersion + "', which is not a version: " + install + ".");
        }
        int major = Integer.parseInt(matcher.group(1));
        if (major < MINIMUM_NODE_MAJOR) {
            return new NodeCheck.Unusable("Node.js " + nodeVersion + " is too old for the emulators: " + install + ".");
        }
        if (needNpm && npmVersion == null) {
            return new NodeCheck.Unusable("npm was not found beside Node.js " + nodeVersion + ": " + install + ".");
        }
        return new NodeCheck.Found(major, nodeVersion, npmVersion);
    }

    /** Like {@link #check()}, but throws the sentence when node or npm cannot be used. */
    public static NodeCheck.Found require() {
        return require(true);
    }

    /** Like {@link #check(boolean)}, but throws the sentence when node (or npm, if needed) cannot be used. */
    public static NodeCheck.Found require(boolean needNpm) {
        NodeCheck check = check(needNpm);
        if (check instanceof NodeCheck.Unusable unusable) {
            throw new LocalAwsException(unusable.message());
        }
        return (NodeCheck.Found) check;
    }

    private static String versionOf(String command) {
        try {
            Process process = new ProcessBuilder(List.of(command, "--version")).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 && !output.isEmpty() ? output.lines().reduce((a, b) -> b).orElse("") : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
