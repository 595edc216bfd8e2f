package dev.kinesisaggs.localaws.junit;

import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.KinesisEmulator;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.LocalAwsOptions;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Gives integration tests running emulators: one pair per test JVM, started by the first test
 * class that asks and shared by all the others, stopped when the test run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalAwsExtension.class)
 * class MyIT {
 *     @Test
 *     void works(KinesisClient kinesis, DynamoDbClient dynamoDb, LocalAws aws) { ... }
 * }
 * }</pre>
 *
 * <p>Injects {@link LocalAws}, {@link LocalAwsClients}, {@link KinesisClient} and
 * {@link DynamoDbClient} (the shared clients: do not close them) into constructors and
 * methods. The Kinesis emulator is the one of {@link UseKinesisEmulator} on the test class, else
 * the one of the system property {@code kinesisaggs.kinesisEmulator}, else kinesalite.
 */
public final class LocalAwsExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAwsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == LocalAws.class || type == LocalAwsClients.class || type == KinesisClient.class
                || type == DynamoDbClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        LocalAws aws = localAws(extensionContext);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == KinesisClient.class) {
            return aws.kinesis();
        }
        if (type == DynamoDbClient.class) {
            return aws.dynamoDb();
        }
        if (type == LocalAwsClients.class) {
            return aws.clients();
        }
        return aws;
    }

    /** The emulators of this test run, started on first use. */
    public static LocalAws localAws(ExtensionContext context) {
        KinesisEmulator emulator = chosenEmulator(context);
        // the root store lives as long as the test run and closes what it holds at the end
        // (JUnit 5.13+ closes the AutoCloseable values of a store; CloseableResource is deprecated there)
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(emulator,
                key -> LocalAws.start(LocalAwsOptions.defaults().withKinesisEmulator(emulator)), LocalAws.class);
    }

    private static KinesisEmulator chosenEmulator(ExtensionContext context) {
        for (Optional<Class<?>> type = context.getTestClass(); type.isPresent();
                type = Optional.ofNullable(type.get().getEnclosingClass())) {
            Optional<UseKinesisEmulator> choice = AnnotationSupport.findAnnotation(type.get(), UseKinesisEmulator.class);
            if (choice.isPresent()) {
                return choice.get().value();
            }
        }
        return KinesisEmulator.configured();
    }
}
