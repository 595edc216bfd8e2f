package dev.kinesisaggs.function.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The artifact the template deploys: built by {@code mvn package}, small, holding the handler and nothing to spare. */
class ArtifactIT {

    @org.junit.jupiter.api.BeforeAll
    static void readTemplate() throws Exception {
        TemplateTest.read();
    }

    @Test
    void theTemplatesCodeUriIsTheBuiltJarAndHoldsTheHandlerClass() throws Exception {
        Map<String, Object> function = TemplateTest.resource("TripWindowFunction");
        String handler = (String) function.get("Handler");
        Path jar = TemplateTest.templatePath().getParent().resolve((String) function.get("CodeUri"));
        assertThat(jar).exists();
        assertThat(Files.size(jar)).as("under 20 MB").isLessThan(20L * 1024 * 1024);

        String handlerClass = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            assertThat(jarFile.getEntry(handlerClass)).as(handlerClass).isNotNull();
            assertThat(jarFile.getEntry("dev/kinesisaggs/core/trip/TripParser.class")).isNotNull();
            assertThat(jarFile.getEntry("software/amazon/awssdk/http/apache5/Apache5HttpClient.class")).isNotNull();
            assertThat(jarFile.getEntry("org/apache/hc/client5/http/impl/classic/CloseableHttpClient.class")).as("what it runs on").isNotNull();
            // the Lambda runtime's event serializer loads joda-time from the function's class loader (PackagedFunctionIT runs it)
            assertThat(jarFile.getEntry("org/joda/time/DateTime.class")).as("joda-time, which the runtime needs").isNotNull();
            assertThat(jarFile.getEntry("org/slf4j/simple/SimpleLogger.class")).as("an SLF4J provider").isNotNull();
            assertThat(jarFile.getEntry("simplelogger.properties")).as("its settings: warnings only").isNotNull();
            assertThat(jarFile.stream().map(e -> e.getName()))
                    .as("no other HTTP client, no test code")
                    .noneMatch(n -> n.startsWith("io/netty/") || n.startsWith("org/apache/http/")
                            || n.startsWith("software/amazon/awssdk/http/urlconnection/") || n.startsWith("software/amazon/awssdk/crt/")
                            || n.startsWith("org/junit/") || n.startsWith("dev/kinesisaggs/localaws/"));
        }
    }
}
