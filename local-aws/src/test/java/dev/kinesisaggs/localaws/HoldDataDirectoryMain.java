package dev.kinesisaggs.localaws;

import java.nio.file.Path;

/** For {@link PersistenceIT}: another process that holds a data directory's lock until it is killed. Arg: the directory. */
public final class HoldDataDirectoryMain {

    public static void main(String[] args) throws Exception {
        DataDirectoryLock.acquire(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
