package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Makes an execution environment's JVM end with the program that started it, however that ends
 * (close, Ctrl-C, {@code kill -9}, a test JVM dying): a Java agent, loaded before the runtime's
 * main, whose daemon thread reads standard input until it closes, then halts the JVM. The parent
 * holds the other end of that pipe and never writes to it, so the pipe closes exactly when the
 * parent is gone. (The same guarantee as the emulators' guard script; the runtime client itself
 * never reads standard input.) The agent jar holds this one class and nothing else.
 */
public final class EnvironmentGuard implements Runnable {

    private EnvironmentGuard() {
    }

    /** The agent's entry point, in the environment's JVM. */
    public static void premain(String args, Instrumentation instrumentation) {
        haltWhenParentGoes();
    }

    /**
     * Starts the guard in this JVM: it halts when standard input closes. For any child JVM whose parent holds its
     * input open and never writes to it (an environment, or a mapping run in a process of its own).
     */
    public static void haltWhenParentGoes() {
        Thread t = new Thread(new EnvironmentGuard(), "parent-guard");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        try {
            InputStream in = System.in;
            byte[] buffer = new byte[64];
            while (in.read(buffer) >= 0) {
                // nothing is ever written; keep reading until the parent's end closes
            }
        } catch (IOException ignored) {
            // a broken pipe means the same: the parent is gone
        }
        Runtime.getRuntime().halt(137);
    }

    /** Writes the agent jar (this class and a manifest naming it) to {@code jar}. */
    static Path writeAgentJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), EnvironmentGuard.class.getName());
        String entry = EnvironmentGuard.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream bytes = EnvironmentGuard.class.getResourceAsStream("/" + entry)) {
            if (bytes == null) {
                throw new IOException("cannot read " + entry + " from this module");
            }
            out.putNextEntry(new JarEntry(entry));
            bytes.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
