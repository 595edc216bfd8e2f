package dev.kinesisaggs.localaws.junit;

import dev.kinesisaggs.localaws.KinesisEmulator;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link LocalAwsExtension} for a particular Kinesis emulator in this test class, e.g.
 * kinesis-local for a test of AT_TIMESTAMP, ChildShards or resharding, which kinesalite (the
 * default) does not support. Each emulator is still started once per test JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface UseKinesisEmulator {
    KinesisEmulator value();
}
