package dev.kinesisaggs.function.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SAM template deploys what the lab deploys, and no more rights than the function uses. */
@SuppressWarnings("unchecked")
class TemplateTest {

    static Map<String, Object> template;

    /** The repository root: the module's parent (surefire runs in the module's directory). */
    static Path templatePath() {
        Path here = Path.of("").toAbsolutePath();
        Path inParent = here.getParent().resolve("template.yaml");
        return Files.exists(inParent) ? inParent : here.resolve("template.yaml");
    }

    @BeforeAll
    static void read() throws Exception {
        template = CloudFormationYaml.read(templatePath());
    }

    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static Map<String, Object> resource(String name) {
        return map(map(map(template.get("Resources")).get(name)).get("Properties"));
    }

    static String parameterDefault(String name) {
        return String.valueOf(map(map(template.get("Parameters")).get(name)).get("Default"));
    }

    @Test
    void parametersDefaultToTheLabsValues() {
        assertThat(parameterDefault("TumblingWindowInSeconds")).isEqualTo("30");
        assertThat(parameterDefault("BatchSize")).isEqualTo("1000");
        assertThat(parameterDefault("MaximumBatchingWindowInSeconds")).isEqualTo("120");
        assertThat(parameterDefault("StartingPosition")).isEqualTo("LATEST");
        assertThat(parameterDefault("AggregatesTableName")).isEqualTo("kinesisAggs");
        assertThat(parameterDefault("ExistingStreamArn")).isEmpty();
    }

    @Test
    void theFunctionIsTheHandlerOnJava21WithTheLabsTimeoutAndItsTableNames() {
        Map<String, Object> function = resource("TripWindowFunction");
        assertThat(function.get("Handler")).isEqualTo("dev.kinesisaggs.function.TripWindowHandler::handleRequest");
        assertThat(function.get("Runtime")).isEqualTo("java21");
        assertThat(function.get("Timeout")).isEqualTo(60);
        assertThat(function.get("CodeUri")).isEqualTo("function/target/kinesis-aggs-function-lambda.jar");
        Map<String, Object> env = map(map(function.get("Environment")).get("Variables"));
        assertThat(env).containsKeys("dynamoDBTableName", "tripsTableName", "rejectsTableName");
        assertThat(env.get("dynamoDBTableName")).isEqualTo(Map.of("Ref", "AggregatesTable"));
        // the java17 and java21 runtimes already stop at C1 ("Customize Java runtime startup
        // behavior"); the variable only made each cold start print "Picked up JAVA_TOOL_OPTIONS"
        assertThat(env).doesNotContainKey("JAVA_TOOL_OPTIONS");
    }

    @Test
    void theFunctionGetsTheMeasuredMemoryByDefault() {
        // 512 MB: see "Memory size" in the function's README for the figures behind it
        assertThat(parameterDefault("FunctionMemorySize")).isEqualTo("512");
        assertThat(resource("TripWindowFunction").get("MemorySize")).isEqualTo(Map.of("Ref", "FunctionMemorySize"));
    }

    @Test
    void theEventSourceMappingUsesTheParametersReportsItemFailuresAndHasAnOnFailureQueue() {
        Map<String, Object> event = map(map(map(resource("TripWindowFunction").get("Events")).get("Trips")).get("Properties"));
        assertThat(event.get("TumblingWindowInSeconds")).isEqualTo(Map.of("Ref", "TumblingWindowInSeconds"));
        assertThat(event.get("BatchSize")).isEqualTo(Map.of("Ref", "BatchSize"));
        assertThat(event.get("MaximumBatchingWindowInSeconds")).isEqualTo(Map.of("Ref", "MaximumBatchingWindowInSeconds"));
        assertThat(event.get("StartingPosition")).isEqualTo(Map.of("Ref", "StartingPosition"));
        assertThat(event.get("MaximumRetryAttempts")).isEqualTo(Map.of("Ref", "MaximumRetryAttempts"));
        assertThat((List<Object>) event.get("FunctionResponseTypes")).containsExactly("ReportBatchItemFailures");
        Map<String, Object> onFailure = map(map(event.get("DestinationConfig")).get("OnFailure"));
        assertThat(onFailure.get("Type")).isEqualTo("SQS");
        assertThat(onFailure.get("Destination")).isEqualTo(Map.of("Fn::GetAtt", "FailedBatchesQueue.Arn"));
    }

    @Test
    void tablesAreOnDemandAndTheAggregatesAreKeyedByVendorAndWindowStart() {
        for (String table : List.of("AggregatesTable", "TripsTable", "RejectsTable")) {
            assertThat(resource(table).get("BillingMode")).as(table).isEqualTo("PAY_PER_REQUEST");
        }
        assertThat((List<Object>) resource("AggregatesTable").get("KeySchema")).containsExactly(
                Map.of("AttributeName", "vendorId", "KeyType", "HASH"),
                Map.of("AttributeName", "windowStart", "KeyType", "RANGE"));
        assertThat((List<Object>) resource("AggregatesTable").get("AttributeDefinitions")).contains(
                Map.of("AttributeName", "vendorId", "AttributeType", "N"));
    }

    @Test
    void theRoleGrantsNoWildcardBeyondWhatKinesisPollingNeeds() {
        List<Map<String, Object>> statements = statements();
        assertThat(statements).isNotEmpty();
        List<String> actions = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            List<String> stmtActions = strings(statement.get("Action"));
            actions.addAll(stmtActions);
            assertThat(stmtActions).as("actions of %s", statement.get("Sid")).noneMatch(a -> a.contains("*"));
            List<Object> resources = statement.get("Resource") instanceof List<?> l ? (List<Object>) l : List.of(statement.get("Resource"));
            boolean wildcardResource = resources.stream().anyMatch(r -> r instanceof String s && s.contains("*"));
            if (wildcardResource) {
                assertThat(stmtActions).as("the only action allowed on any resource").containsExactly("kinesis:ListStreams");
            }
        }
        assertThat(actions).containsExactlyInAnyOrder(
                "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams",
                "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchWriteItem", "dynamodb:DescribeTable",
                "sqs:SendMessage");
    }

    @Test
    void snapStartIsOffByDefaultAndOnlyItsPrimingMayDescribeTheTables() {
        Map<String, Object> parameter = map(map(template.get("Parameters")).get("SnapStart"));
        assertThat(parameter.get("Default")).isEqualTo("None");
        assertThat((List<Object>) parameter.get("AllowedValues")).containsExactly("None", "PublishedVersions");
        assertThat(map(template.get("Conditions")).get("SnapStartOn"))
                .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "SnapStart"), "PublishedVersions")));
        assertThat(resource("TripWindowFunction").get("SnapStart")).isEqualTo(Map.of("ApplyOn", Map.of("Ref", "SnapStart")));

        List<Object> describe = conditionalStatements().stream()
                .filter(s -> map(s.get(1)).get("Action").equals("dynamodb:DescribeTable"))
                .findFirst().orElseThrow();
        assertThat(describe.get(0)).as("the DescribeTable statement's condition").isEqualTo("SnapStartOn");
        assertThat((List<Object>) map(describe.get(1)).get("Resource")).contains(Map.of("Fn::GetAtt", "AggregatesTable.Arn"));
    }

    @Test
    void theStreamIsReadThroughTheAliasOfTheVersionEachDeploymentPublishes() {
        Map<String, Object> function = resource("TripWindowFunction");
        // SnapStart restores published versions only; with AutoPublishAlias, SAM points the
        // function's event source mappings at the alias instead of $LATEST
        assertThat(function.get("AutoPublishAlias")).isEqualTo("live");
        assertThat(function.get("AutoPublishAliasAllProperties")).as("a configuration change publishes too").isEqualTo(true);
        assertThat(map(map(function.get("Events")).get("Trips")).get("Type")).isEqualTo("Kinesis");
        assertThat(map(template.get("Resources")).values())
                .as("no event source mapping of its own, which would name the function (its $LATEST) instead of the alias")
                .noneMatch(r -> "AWS::Lambda::EventSourceMapping".equals(map(r).get("Type")));
    }

    /** The role's {@code !If [condition, statement, NoValue]} statements, as {@code [condition, statement, ...]}. */
    static List<List<Object>> conditionalStatements() {
        List<List<Object>> out = new ArrayList<>();
        for (Object policy : (List<Object>) resource("FunctionRole").get("Policies")) {
            for (Object s : (List<Object>) map(map(policy).get("PolicyDocument")).get("Statement")) {
                if (map(s).containsKey("Fn::If")) {
                    out.add((List<Object>) map(s).get("Fn::If"));
                }
            }
        }
        return out;
    }

    /** The role's statements, with each conditional one ({@code !If [cond, statement, NoValue]}) taken as present. */
    static List<Map<String, Object>> statements() {
        Map<String, Object> role = resource("FunctionRole");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object policy : (List<Object>) role.get("Policies")) {
            for (Object s : (List<Object>) map(map(policy).get("PolicyDocument")).get("Statement")) {
                Map<String, Object> statement = map(s);
                if (statement.containsKey("Fn::If")) {
                    statement = map(((List<Object>) statement.get("Fn::If")).get(1));
                }
                out.add(statement);
            }
        }
        return out;
    }

    static List<String> strings(Object o) {
        return o instanceof List<?> l ? (List<String>) l : List.of((String) o);
    }
}
