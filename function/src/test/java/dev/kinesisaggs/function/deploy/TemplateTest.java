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

    /** A resource's properties. */
    static Map<String, Object> resource(String name) {
        return map(declaration(name).get("Properties"));
    }

    /** A resource as declared: Type, Condition, policies, Properties. */
    static Map<String, Object> declaration(String name) {
        return map(map(template.get("Resources")).get(name));
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
        assertThat(function.get("Handler")).isEqualTo("dev.kinesisaggs.function.TripWindowStreamHandler::handleRequest");
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
        // one vCPU: see "Memory size" in the function's README for the figures behind it
        assertThat(parameterDefault("FunctionMemorySize")).isEqualTo("1769");
        // and the least it runs with, which the command line's --memory-size holds our function to as well
        assertThat(String.valueOf(map(map(template.get("Parameters")).get("FunctionMemorySize")).get("MinValue")))
                .isEqualTo(Integer.toString(dev.kinesisaggs.function.FunctionConfig.MIN_MEMORY_MB));
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
                "logs:CreateLogStream", "logs:PutLogEvents",
                "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams",
                "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem",
                "dynamodb:PartiQLInsert", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DescribeTable",
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

    @Test
    void theFunctionLogsToALogGroupOfTheStackWithARetentionPeriod() {
        Map<String, Object> group = resource("FunctionLogGroup");
        assertThat(declaration("FunctionLogGroup").get("Type")).isEqualTo("AWS::Logs::LogGroup");
        // the name Lambda gives a function's group, so nothing else changes for a reader of the logs
        String functionName = (String) map(resource("TripWindowFunction").get("FunctionName")).get("Fn::Sub");
        assertThat(group.get("LogGroupName")).isEqualTo(Map.of("Fn::Sub", "/aws/lambda/" + functionName));
        assertThat(resource("TripWindowFunction").get("LoggingConfig")).isEqualTo(Map.of("LogGroup", Map.of("Ref", "FunctionLogGroup")));

        assertThat(group.get("RetentionInDays")).isEqualTo(Map.of("Ref", "LogRetentionInDays"));
        Map<String, Object> retention = map(map(template.get("Parameters")).get("LogRetentionInDays"));
        assertThat(retention.get("Default")).isEqualTo(30);
        assertThat((List<Object>) retention.get("AllowedValues")).as("the values CloudWatch Logs accepts")
                .containsExactly(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

        Map<String, Object> logs = statements().stream().filter(s -> "Logs".equals(s.get("Sid"))).findFirst().orElseThrow();
        String groupArn = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${FunctionLogGroup}";
        assertThat((List<Object>) logs.get("Resource")).as("the group and its streams")
                .containsExactly(Map.of("Fn::Sub", groupArn), Map.of("Fn::Sub", groupArn + ":*"));
        assertThat(strings(logs.get("Action"))).as("the stack makes the group, Lambda must not")
                .containsExactly("logs:CreateLogStream", "logs:PutLogEvents");
    }

    @Test
    void theTablesHavePointInTimeRecoveryAndOutliveTheStack() {
        for (String table : List.of("AggregatesTable", "TripsTable", "RejectsTable")) {
            assertThat(resource(table).get("PointInTimeRecoverySpecification")).as(table)
                    .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
            assertThat(declaration(table).get("DeletionPolicy")).as(table).isEqualTo("Retain");
            assertThat(declaration(table).get("UpdateReplacePolicy")).as(table).isEqualTo("Retain");
        }
        assertThat(declaration("TripStream")).as("the stream goes with the stack: 24 h of input, billed per shard hour")
                .doesNotContainKeys("DeletionPolicy", "UpdateReplacePolicy");
    }

    @Test
    void alarmsWatchTheIteratorAgeTheErrorsAndTheOnFailureQueue() {
        Map<String, Object> functionName = Map.of("Name", "FunctionName", "Value", Map.of("Ref", "TripWindowFunction"));
        assertAlarm("IteratorAgeAlarm", "AWS/Lambda", "IteratorAge", functionName, "Maximum", Map.of("Ref", "IteratorAgeAlarmThresholdMs"));
        assertThat(resource("IteratorAgeAlarm").get("EvaluationPeriods")).isEqualTo(5);
        assertThat(parameterDefault("IteratorAgeAlarmThresholdMs")).isEqualTo("60000");
        assertAlarm("FunctionErrorsAlarm", "AWS/Lambda", "Errors", functionName, "Sum", 0);
        assertAlarm("FailedBatchesAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
                Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", "FailedBatchesQueue.QueueName")), "Maximum", 0);
    }

    private static void assertAlarm(String name, String namespace, String metric, Map<String, Object> dimension, String statistic, Object threshold) {
        Map<String, Object> alarm = resource(name);
        assertThat(declaration(name).get("Type")).isEqualTo("AWS::CloudWatch::Alarm");
        assertThat(alarm.get("Namespace")).as(name).isEqualTo(namespace);
        assertThat(alarm.get("MetricName")).as(name).isEqualTo(metric);
        assertThat((List<Object>) alarm.get("Dimensions")).as(name).containsExactly(dimension);
        assertThat(alarm.get("Statistic")).as(name).isEqualTo(statistic);
        assertThat(alarm.get("Period")).as(name).isEqualTo(60);
        assertThat(alarm.get("Threshold")).as(name).isEqualTo(threshold);
        assertThat(alarm.get("ComparisonOperator")).as(name).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.get("TreatMissingData")).as("%s: no data is no trouble (an idle stream)", name).isEqualTo("notBreaching");
    }

    @Test
    void alarmsNotifyOnlyTheTopicsGiven() {
        assertThat(parameterDefault("AlarmEmail")).isEmpty();
        assertThat(parameterDefault("AlarmTopicArn")).isEmpty();
        Map<String, Object> conditions = map(template.get("Conditions"));
        assertThat(conditions.get("CreateAlarmTopic")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "AlarmEmail"), "")))));
        assertThat(conditions.get("UseAlarmTopicArn")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "AlarmTopicArn"), "")))));
        assertThat(conditions.get("NotifyAlarms"))
                .isEqualTo(Map.of("Fn::Or", List.of(Map.of("Condition", "CreateAlarmTopic"), Map.of("Condition", "UseAlarmTopicArn"))));

        assertThat(declaration("AlarmTopic").get("Condition")).isEqualTo("CreateAlarmTopic");
        assertThat((List<Object>) resource("AlarmTopic").get("Subscription"))
                .containsExactly(Map.of("Protocol", "email", "Endpoint", Map.of("Ref", "AlarmEmail")));

        Map<String, Object> noValue = Map.of("Ref", "AWS::NoValue");
        Object notifications = Map.of("Fn::If", List.of("NotifyAlarms",
                List.of(Map.of("Fn::If", List.of("CreateAlarmTopic", Map.of("Ref", "AlarmTopic"), noValue)),
                        Map.of("Fn::If", List.of("UseAlarmTopicArn", Map.of("Ref", "AlarmTopicArn"), noValue))),
                noValue));
        List<String> alarms = map(template.get("Resources")).entrySet().stream()
                .filter(e -> "AWS::CloudWatch::Alarm".equals(map(e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
        assertThat(alarms).containsExactlyInAnyOrder("IteratorAgeAlarm", "FunctionErrorsAlarm", "FailedBatchesAlarm");
        for (String alarm : alarms) {
            assertThat(resource(alarm).get("AlarmActions")).as(alarm).isEqualTo(notifications);
            assertThat(resource(alarm).get("OKActions")).as(alarm).isEqualTo(notifications);
        }
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
