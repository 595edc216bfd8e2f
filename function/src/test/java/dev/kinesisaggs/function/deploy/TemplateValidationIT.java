package dev.kinesisaggs.function.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.localaws.NodeModules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code template.yaml} as AWS would judge it, short of deploying it: checked against the
 * CloudFormation resource specification that {@code @aws-cdk/aws-service-spec} publishes on npm
 * (pinned in local-aws's lockfile, installed by {@link NodeModules}), and the SAM function against
 * the properties the AWS SAM Developer Guide documents ({@link SamFunction}). The other tests
 * change one thing in a copy of the template and expect the validator to find it.
 */
@SuppressWarnings("unchecked")
class TemplateValidationIT {

    static ResourceSpecification specification;

    @BeforeAll
    static void readSpecification() throws Exception {
        specification = ResourceSpecification.read(NodeModules.install());
    }

    static Map<String, Object> template() throws Exception {
        return CloudFormationYaml.read(TemplateTest.templatePath());
    }

    static Map<String, Object> properties(Map<String, Object> template, String resource) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(resource)).get("Properties");
    }

    static List<String> problems(Map<String, Object> template) {
        return TemplateValidator.validate(specification, template);
    }

    @Test
    void theTemplateHasNoProblems() throws Exception {
        assertThat(problems(template())).isEmpty();
    }

    @Test
    void aMisspelledPropertyIsFound() throws Exception {
        Map<String, Object> template = template();
        Map<String, Object> table = properties(template, "AggregatesTable");
        table.put("BilingMode", table.remove("BillingMode"));
        assertThat(problems(template)).containsExactly(
                "Resources.AggregatesTable.Properties.BilingMode: AWS::DynamoDB::Table has no property BilingMode.");
    }

    @Test
    void aMisspelledPropertyOfANestedStructureIsFound() throws Exception {
        Map<String, Object> template = template();
        properties(template, "TripsTable").put("PointInTimeRecoverySpecification", Map.of("PointInTimeRecovery", true));
        assertThat(problems(template)).containsExactly("Resources.TripsTable.Properties.PointInTimeRecoverySpecification.PointInTimeRecovery: "
                + "PointInTimeRecoverySpecification has no property PointInTimeRecovery.");
    }

    @Test
    void aMissingRequiredPropertyIsFound() throws Exception {
        Map<String, Object> template = template();
        properties(template, "RejectsTable").remove("KeySchema");
        properties(template, "FunctionRole").remove("AssumeRolePolicyDocument");
        assertThat(problems(template)).containsExactly(
                "Resources.RejectsTable.Properties: AWS::DynamoDB::Table requires the property KeySchema.",
                "Resources.FunctionRole.Properties: AWS::IAM::Role requires the property AssumeRolePolicyDocument.");
    }

    @Test
    void valuesOfTheWrongShapeOrOutsideTheAllowedOnesAreFound() throws Exception {
        Map<String, Object> template = template();
        properties(template, "FailedBatchesQueue").put("MessageRetentionPeriod", "two weeks");
        properties(template, "FunctionLogGroup").put("RetentionInDays", 31);
        properties(template, "TripStream").put("StreamEncryption", Map.of("EncryptionType", "AES", "KeyId", "alias/aws/kinesis"));
        assertThat(problems(template)).containsExactly(
                "Resources.TripStream.Properties.StreamEncryption.EncryptionType: AES is not one of [KMS].",
                "Resources.FailedBatchesQueue.Properties.MessageRetentionPeriod: expects integer, not 'two weeks'.",
                "Resources.FunctionLogGroup.Properties.RetentionInDays: 31 is not one of "
                        + "[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].");
    }

    @Test
    void aParameterIsCheckedThroughItsValuesWhereItIsUsed() throws Exception {
        Map<String, Object> template = template();
        Map<String, Object> retention = (Map<String, Object>) ((Map<String, Object>) template.get("Parameters")).get("LogRetentionInDays");
        retention.put("AllowedValues", List.of(30, 42));
        assertThat(problems(template)).containsExactly(
                "Resources.FunctionLogGroup.Properties.RetentionInDays (parameter LogRetentionInDays): 42 is not one of "
                        + "[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].");
    }

    @Test
    void unknownAttributesReferencesAndConditionsAreFound() throws Exception {
        Map<String, Object> template = template();
        Map<String, Object> dimension = (Map<String, Object>) ((List<Object>) properties(template, "FailedBatchesAlarm").get("Dimensions")).get(0);
        dimension.put("Value", Map.of("Fn::GetAtt", "FailedBatchesQueue.Name"));
        properties(template, "FunctionLogGroup").put("LogGroupName", Map.of("Fn::Sub", "/aws/lambda/${StackName}-trip-window"));
        properties(template, "TripStream").put("ShardCount", Map.of("Fn::If", List.of("ManyShards", 4, 1)));
        assertThat(problems(template)).containsExactly(
                "Resources.TripStream.Properties.ShardCount: the template declares no condition ManyShards.",
                "Resources.FunctionLogGroup.Properties.LogGroupName: Ref names StackName, which is no parameter, resource or pseudo parameter of the template.",
                "Resources.FailedBatchesAlarm.Properties.Dimensions[0].Value: AWS::SQS::Queue has no attribute Name (it has [Arn, QueueName, QueueUrl]).");
    }

    @Test
    void theSamFunctionsPropertiesAndWhatTheyPassToLambdaAreChecked() throws Exception {
        Map<String, Object> template = template();
        Map<String, Object> function = properties(template, "TripWindowFunction");
        function.put("LogingConfig", function.remove("LoggingConfig"));
        function.put("SnapStart", Map.of("ApplyOn", "Always"));
        Map<String, Object> trips = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) function.get("Events")).get("Trips")).get("Properties");
        trips.put("BatchSise", trips.remove("BatchSize"));
        trips.put("ParallelizationFactor", "one");
        assertThat(problems(template)).containsExactlyInAnyOrder(
                "Resources.TripWindowFunction.Properties.SnapStart.ApplyOn: Always is not one of [PublishedVersions, None].",
                "Resources.TripWindowFunction.Properties.LogingConfig: AWS::Serverless::Function has no property LogingConfig (AWS SAM Developer Guide).",
                "Resources.TripWindowFunction.Properties.Events.Trips.Properties.ParallelizationFactor: expects integer, not 'one'.",
                "Resources.TripWindowFunction.Properties.Events.Trips.Properties.BatchSise: a SAM Kinesis event has no property BatchSise (AWS SAM Developer Guide).");
    }

    @Test
    void theWrittenDownSamPropertiesIncludeEveryOneThePublishedLegacyEntryLists() {
        // the package's SAM entry is old, not wrong: what it lists must still be in our list
        assertThat(SamFunction.PROPERTIES)
                .containsAll(specification.resource(SamFunction.TYPE).orElseThrow().properties().keySet());
        assertThat(SamFunction.PASSED_TO_LAMBDA_FUNCTION)
                .allMatch(p -> specification.resource(SamFunction.LAMBDA_FUNCTION).orElseThrow().properties().containsKey(p));
        assertThat(SamFunction.KINESIS_EVENT_PROPERTIES.values())
                .allMatch(p -> specification.resource(SamFunction.EVENT_SOURCE_MAPPING).orElseThrow().properties().containsKey(p));
    }
}
