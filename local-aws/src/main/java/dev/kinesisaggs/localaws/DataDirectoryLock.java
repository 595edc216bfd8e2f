package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run at a time on a data directory. Two sets of emulators on one directory corrupt each other's files, and the
 * second dynalite dies with a stack of LevelDB's ({@code LEVEL_DATABASE_NOT_OPEN}) that says nothing to a user. The lock
 * is the operating system's on a file in the directory: released when the run closes it, and by the system when the
 * process dies however it dies, so a {@code kill -9} never leaves a directory locked.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = ".kinesis-aggs.lock";

    private final FileChannel channel;

    private DataDirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Locks {@code directory} (creating it), or says in one sentence that another run uses it. */
    static DataDirectoryLock acquire(Path directory) {
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new LocalAwsException("The data directory " + directory.toAbsolutePath().normalize() + " is in use by another run of"
                        + " the emulators (a local or a demo that is still running): stop that one first, or give this one"
                        + " another data directory.");
            }
            return new DataDirectoryLock(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LocalAwsException("Cannot use " + directory.toAbsolutePath().normalize() + " as the emulators' data"
                    + " directory (" + why(e) + "): give a directory you can write.", e);
        }
    }

    /** The reason in words: the JDK's message for these is the path alone (found by probing). */
    private static String why(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file of that name is there, not a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory, and it cannot be made there";
        }
        return e.getMessage();
    }

    @Override
    public void close() {
        closeQuietly(channel); // releases the lock
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }
}
