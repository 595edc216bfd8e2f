package dev.kinesisaggs.function.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the AWS SAM transform accepts on an {@code AWS::Serverless::Function}, written down from the
 * AWS SAM Developer Guide (pages "AWS::Serverless::Function", "Kinesis" and "OnFailure", read
 * 2026-12-03), because no schema of SAM that knows today's properties turned up on npm: the SAM
 * entry of {@code @aws-cdk/aws-service-spec} comes from the frozen legacy SAM specification and
 * lacks SnapStart, LoggingConfig, AutoPublishAliasAllProperties and the Kinesis event's tuning
 * properties. Where the guide says a property "is passed directly" to a property of
 * the {@code AWS::Lambda::Function} or {@code AWS::Lambda::EventSourceMapping} SAM generates, its
 * value is checked against that type in the resource specification.
 */
final class SamFunction {

    static final String TYPE = "AWS::Serverless::Function";
    static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
    static final String EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping";

    /** Every property in the guide's syntax of AWS::Serverless::Function. */
    static final Set<String> PROPERTIES = Set.of(
            "Architectures", "AssumeRolePolicyDocument", "AutoPublishAlias", "AutoPublishAliasAllProperties",
            "AutoPublishCodeSha256", "CapacityProviderConfig", "CodeSigningConfigArn", "CodeUri", "DeadLetterQueue",
            "DeploymentPreference", "Description", "DurableConfig", "Environment", "EphemeralStorage", "EventInvokeConfig",
            "Events", "FileSystemConfigs", "FunctionName", "FunctionScalingConfig", "FunctionUrlConfig", "Handler",
            "ImageConfig", "ImageUri", "InlineCode", "KmsKeyArn", "Layers", "LoggingConfig", "MemorySize", "PackageType",
            "PermissionsBoundary", "Policies", "PropagateTags", "ProvisionedConcurrencyConfig", "PublishToLatestPublished",
            "RecursiveLoop", "ReservedConcurrentExecutions", "Role", "RolePath", "Runtime", "RuntimeManagementConfig",
            "SnapStart", "SourceKMSKeyArn", "Tags", "Timeout", "Tracing", "VersionDescription", "VpcConfig");

    /** The properties the guide says are passed directly to the same property of AWS::Lambda::Function. */
    static final Set<String> PASSED_TO_LAMBDA_FUNCTION = Set.of(
            "Architectures", "CodeSigningConfigArn", "Description", "Environment", "EphemeralStorage", "FileSystemConfigs",
            "FunctionName", "Handler", "ImageConfig", "KmsKeyArn", "Layers", "LoggingConfig", "MemorySize", "PackageType",
            "RecursiveLoop", "ReservedConcurrentExecutions", "Runtime", "RuntimeManagementConfig", "SnapStart", "Timeout",
            "VpcConfig");

    /**
     * The Kinesis event's properties, each with the AWS::Lambda::EventSourceMapping property it is
     * passed to (Stream becomes EventSourceArn). DestinationConfig's OnFailure also takes SAM's own
     * {@code Type}, checked against {@link #ON_FAILURE_TYPES}.
     */
    static final Map<String, String> KINESIS_EVENT_PROPERTIES = kinesisEventProperties();

    /** Stream is required by the guide; a starting position by Lambda for any Kinesis event source mapping. */
    static final Set<String> KINESIS_EVENT_REQUIRED = Set.of("Stream", "StartingPosition");

    /** The guide's types of an OnFailure destination. */
    static final Set<String> ON_FAILURE_TYPES = Set.of("SQS", "SNS", "S3", "Lambda", "EventBridge");

    private SamFunction() {
    }

    /**
     * The resources SAM generates for a function that a template may name in {@code Ref} or
     * {@code Fn::GetAtt} (guide: "Generated CloudFormation resources"), by logical id, with their
     * types; the function's own logical id names the generated AWS::Lambda::Function.
     */
    static Map<String, String> generatedResources(String logicalId, Map<String, Object> properties) {
        Map<String, String> generated = new LinkedHashMap<>();
        generated.put(logicalId, LAMBDA_FUNCTION);
        if (!properties.containsKey("Role")) {
            generated.put(logicalId + "Role", "AWS::IAM::Role");
        }
        if (properties.get("AutoPublishAlias") instanceof String alias) {
            generated.put(logicalId + "Alias" + alias, "AWS::Lambda::Alias");
        }
        if (properties.get("Events") instanceof Map<?, ?> events) {
            for (Map.Entry<?, ?> event : events.entrySet()) {
                if (event.getValue() instanceof Map<?, ?> e && "Kinesis".equals(e.get("Type"))) {
                    generated.put(logicalId + event.getKey(), EVENT_SOURCE_MAPPING);
                }
            }
        }
        return generated;
    }

    private static Map<String, String> kinesisEventProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String same : new String[] {"BatchSize", "BisectBatchOnFunctionError", "DestinationConfig", "Enabled", "FilterCriteria",
                "FunctionResponseTypes", "KmsKeyArn", "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds",
                "MaximumRetryAttempts", "MetricsConfig", "ParallelizationFactor", "StartingPosition", "StartingPositionTimestamp",
                "TumblingWindowInSeconds"}) {
            properties.put(same, same);
        }
        properties.put("Stream", "EventSourceArn");
        return Map.copyOf(properties);
    }
}
