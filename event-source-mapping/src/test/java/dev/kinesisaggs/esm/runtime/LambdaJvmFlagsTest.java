package dev.kinesisaggs.esm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LambdaJvmFlagsTest {

    private final LambdaJvmFlags flags = new LambdaJvmFlags(512);

    @Test
    void withoutJavaToolOptionsTheRuntimesFlagsAreAllThere() {
        assertThat(flags.flagsBeside("")).isEqualTo(flags.flags())
                .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxHeapSize=445644k");
    }

    @Test
    void whatTheFunctionsJavaToolOptionsSetIsLeftToThemAndTheRestStays() {
        assertThat(flags.flagsBeside(" -XX:TieredStopAtLevel=4  -XX:+UseParallelGC -XX:MaxHeapSize=300m -Dx=1 "))
                .doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+TieredCompilation", "-XX:+UseSerialGC", "-XX:MaxHeapSize=445644k")
                .contains("-XX:MaxMetaspaceSize=52428k", "-XX:ActiveProcessorCount=2", "-Xshare:auto");
        // turning tiered compilation off is about tiered compilation too; a flag's sign does not matter
        assertThat(flags.flagsBeside("-XX:-TieredCompilation")).doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+TieredCompilation");
        assertThat(flags.flagsBeside("-XX:-UseSerialGC")).doesNotContain("-XX:+UseSerialGC");
        // the short spellings of the same settings
        assertThat(flags.flagsBeside("-Xmx300m -Xshare:off")).doesNotContain("-XX:MaxHeapSize=445644k", "-Xshare:auto")
                .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        // options that set none of ours, a flag that merely mentions GC among them
        assertThat(flags.flagsBeside("-verbose:gc -XX:+PrintCompilation -XX:+UseMaximumCompactionOnSystemGC -Dkey=-Xmx1g"))
                .isEqualTo(flags.flags());
    }

    @Test
    void theRuntimesArchiveIsSharedUnlessTheFunctionChoosesItsOwnSharing() {
        Optional<Path> archive = Optional.of(Path.of("cache", "runtime-1.jsa"));
        String shared = "-XX:SharedArchiveFile=" + archive.get();

        assertThat(flags.flagsBeside("", archive)).endsWith("-Xshare:auto", shared)
                .containsAll(flags.flags());
        assertThat(flags.flagsBeside("-XX:TieredStopAtLevel=4", archive)).contains("-Xshare:auto", shared);
        assertThat(flags.flagsBeside("", Optional.empty())).isEqualTo(flags.flags());
        assertThat(flags.flagsBeside("-Xshare:off", archive)).doesNotContain("-Xshare:auto", shared);
        assertThat(flags.flagsBeside("-XX:SharedArchiveFile=mine.jsa", archive)).contains("-Xshare:auto").doesNotContain(shared);
        // a JVM without compressed oops cannot map it, and would then share nothing: it keeps the JDK's own archive
        for (String without : new String[] {"-XX:+UseZGC", "-XX:-UseCompressedOops", "-XX:-UseCompressedClassPointers"}) {
            assertThat(flags.flagsBeside(without, archive)).as(without).contains("-Xshare:auto").doesNotContain(shared);
        }
        assertThat(flags.flagsBeside("-XX:+UseParallelGC", archive)).contains(shared);
    }
}
