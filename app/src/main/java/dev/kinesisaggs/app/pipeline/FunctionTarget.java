package dev.kinesisaggs.app.pipeline;

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

    /** The SDK's endpoint variables among {@code environment}. */
    static Map<String, String> endpointVariables(Map<String, String> environment) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("AWS_ENDPOINT_URL")) {
                endpoints.put(name, value);
            }
        });
        return endpoints;
    }
}
