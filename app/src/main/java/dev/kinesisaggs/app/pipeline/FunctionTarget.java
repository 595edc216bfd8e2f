package dev.kinesisaggs.app.pipeline;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How a function run in execution environments reaches the AWS (or the emulators) the command talks
 * to: the region and credentials Lambda would give it, and the SDK's endpoint variables
 * ({@code AWS_ENDPOINT_URL_DYNAMODB}, ...), which on AWS would not be set and here point it at the
 * emulators, as the function's own variables.
 */
public record FunctionTarget(String region, AwsCredentialsProvider credentials, Map<String, String> endpointVariables) {

    /** The SDK's endpoint for every service, below the per-service {@code AWS_ENDPOINT_URL_<SERVICE>}. */
    static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";

    /**
     * The one variable that points the function's SDK at {@code endpoint} for every service. The execution
     * environment starts with no other variables, so none of the command's per-service ones can win over it.
     */
    static Map<String, String> endpointVariable(URI endpoint) {
        return Map.of(ENDPOINT_VARIABLE, endpoint.toString());
    }

    /** The SDK's endpoint variables among {@code environment}. */
    static Map<String, String> endpointVariables(Map<String, String> environment) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENDPOINT_VARIABLE)) {
                endpoints.put(name, value);
            }
        });
        return endpoints;
    }
}
