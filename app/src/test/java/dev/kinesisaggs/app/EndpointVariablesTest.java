package dev.kinesisaggs.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's endpoint variables, checked before a client is built from them (found by a probe: a trace instead). */
class EndpointVariablesTest {

    @Test
    void anEndpointVariableWithoutItsSchemeOrNotAUrlIsOneSentenceNamingIt() {
        assertThatThrownBy(() -> EndpointOptions.checkEndpointVariables(Map.of("AWS_ENDPOINT_URL_KINESIS", "localhost:4568")))
                .isInstanceOf(UserError.class).hasMessage("The variable AWS_ENDPOINT_URL_KINESIS is 'localhost:4568', which is not an"
                        + " http or https URL with a host: write it as http://HOST:PORT (e.g. http://localhost:4566), or unset it to reach AWS.");
        for (String bad : new String[] {"127.0.0.1:4567", "garbage", "ftp://localhost:21", "http://", "http:///path"}) {
            assertThatThrownBy(() -> EndpointOptions.checkEndpointVariables(Map.of("AWS_ENDPOINT_URL", bad)))
                    .as(bad).isInstanceOf(UserError.class).hasMessageContaining("AWS_ENDPOINT_URL is '" + bad + "'");
        }
    }

    @Test
    void urlsTheSdkTakesAndOtherVariablesPass() {
        assertThatCode(() -> EndpointOptions.checkEndpointVariables(Map.of("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4568",
                "AWS_ENDPOINT_URL_DYNAMODB", " https://dynamodb.eu-west-1.amazonaws.com ", "AWS_ENDPOINT_URL", "",
                "AWS_REGION", "not checked here", "PATH", "localhost:1"))).doesNotThrowAnyException();
        // the SDK's own switch that makes it read none of them
        assertThatCode(() -> EndpointOptions.checkEndpointVariables(Map.of("AWS_ENDPOINT_URL", "garbage",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"))).doesNotThrowAnyException();
    }
}
