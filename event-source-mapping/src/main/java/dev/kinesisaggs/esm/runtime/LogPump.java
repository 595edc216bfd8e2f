package dev.kinesisaggs.esm.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies an execution environment's output (standard output and error, merged as Lambda merges
 * them) to the function log, line by line, on a thread of its own. {@link #drain} lets the
 * environment write {@code END} and {@code REPORT} after everything the invocation printed: the
 * runtime writes its output before it posts the answer, so once the pipe is empty and the pump is
 * idle, the invocation's lines are all out.
 *
 * <p>The pump reads only what {@code available()} says is there and otherwise sleeps a few
 * milliseconds: a read that blocks would hold the stream's lock, and {@link #drain} could not look.
 */
final class LogPump implements Runnable {

    private static final long IDLE_POLL_MS = 5;

    private final Process process;
    private final InputStream in;
    private final FunctionLog log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private volatile boolean busy;
    private volatile boolean ended;

    private LogPump(Process process, FunctionLog log) {
        this.process = process;
        this.in = process.getInputStream();
        this.log = log;
    }

    static LogPump start(Process process, FunctionLog log, String threadName) {
        LogPump pump = new LogPump(process, log);
        Thread t = new Thread(pump, threadName);
        t.setDaemon(true);
        t.start();
        return pump;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                busy = true;
                int available = in.available();
                if (available > 0) {
                    copy(buffer, in.read(buffer, 0, Math.min(available, buffer.length)));
                } else if (!process.isAlive()) {
                    // the process is gone: whatever is left, to the end of the pipe
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        copy(buffer, n);
                    }
                    break;
                } else {
                    busy = false;
                    Thread.sleep(IDLE_POLL_MS);
                }
            }
        } catch (IOException ignored) {
            // the pipe is closed: nothing more will come
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (line.size() > 0) {
                emit();
            }
            busy = false;
            ended = true;
        }
    }

    private void copy(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
                emit();
            } else {
                line.write(buffer[i]);
            }
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        log.line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }

    /** Waits (up to {@code maxMillis}) until every byte written so far has been logged. */
    void drain(long maxMillis) {
        long until = System.nanoTime() + maxMillis * 1_000_000;
        try {
            while (!ended && System.nanoTime() < until) {
                if (!busy && in.available() == 0) {
                    return;
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            // closed: nothing more will come
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
