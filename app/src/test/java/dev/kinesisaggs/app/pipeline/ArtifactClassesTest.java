package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactClassesTest {

    @TempDir
    Path temp;

    @Test
    void aClassIsHeldAtThePackagesRootOrInItsLibJarsAndNowhereElse() {
        Path zip = HandlerArtifact.zip(temp);
        assertThat(ArtifactClasses.holds(zip, HandlerArtifact.PROBE_HANDLER.split("::")[0])).isTrue();
        // aws-lambda-java-core, in the package's lib/
        assertThat(ArtifactClasses.holds(zip, "com.amazonaws.services.lambda.runtime.Context")).isTrue();
        assertThat(ArtifactClasses.holds(zip, "example.handler.Nope")).isFalse();
        // on this test's class path, but not in the package: Lambda would not find it either
        assertThat(ArtifactClasses.holds(zip, ArtifactClassesTest.class.getName())).isFalse();
    }

    @Test
    void aLibJarThatCannotBeReadHereMayHoldTheClassSoNothingIsRefusedForIt() throws Exception {
        Path zip = temp.resolve("function.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("lib/broken.jar"));
            // a local header with a compression method no zip reader here knows: ZipInputStream throws on it
            out.write(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 'x'});
            out.closeEntry();
            out.putNextEntry(new java.util.zip.ZipEntry("example/Other.class"));
            out.closeEntry();
        }
        assertThat(ArtifactClasses.holds(zip, "a.B")).isTrue();
        assertThat(ArtifactClasses.holds(zip, "example.Other")).isTrue();
    }

    @Test
    void aPackageThatCannotBeReadIsRefusedInOneSentence() throws Exception {
        Path notZip = Files.writeString(temp.resolve("not.zip"), "text");
        assertThatThrownBy(() -> ArtifactClasses.holds(notZip, "a.B")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--function-jar " + notZip + " cannot be read as a .jar or .zip file (")
                .hasMessageEndingWith("): give the deployment package Lambda would get");
    }
}
