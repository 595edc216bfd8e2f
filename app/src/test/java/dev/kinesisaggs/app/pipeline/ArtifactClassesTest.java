package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactClassesTest {

    @TempDir
    Path temp;

    @Test
    void aClassIsHeldAtThePackagesRootOrInItsLibJarsAndNowhereElse() {
        Path zip = HandlerArtifact.zip(temp);
        assertThat(ArtifactClasses.holds(zip, HandlerArtifact.PROBE_HANDLER.split("::")[0])).contains(true);
        // aws-lambda-java-core, in the package's lib/
        assertThat(ArtifactClasses.holds(zip, "com.amazonaws.services.lambda.runtime.Context")).contains(true);
        assertThat(ArtifactClasses.holds(zip, "example.handler.Nope")).contains(false);
        // on this test's class path, but not in the package: Lambda would not find it either
        assertThat(ArtifactClasses.holds(zip, ArtifactClassesTest.class.getName())).contains(false);
    }

    @Test
    void aPackageThatCannotBeReadIsLeftToTheRuntimeToRefuse() throws Exception {
        assertThat(ArtifactClasses.holds(Files.writeString(temp.resolve("not.zip"), "text"), "a.B")).isEqualTo(Optional.empty());
    }
}
