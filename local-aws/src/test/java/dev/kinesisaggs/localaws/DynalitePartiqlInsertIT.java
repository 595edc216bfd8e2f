package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementErrorCodeEnum;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.DuplicateItemException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * dynalite serves PartiQL's INSERT (the preloaded dynalite-partiql.js), as DynamoDB documents it: a put of one item
 * that fails with DuplicateItem when its key exists, each statement of a BatchExecuteStatement answered apart, and
 * every check of a PutItem made of it (here pushed to DynamoDB's limits: a number's magnitude, an item's 400 KB, a
 * partition key's 2,048 bytes). Whether DynamoDB refuses those for the statement or for the whole request it does not
 * document; the emulator refuses them for the statement (the function is exact either way: its README).
 */
class DynalitePartiqlInsertIT {
    private static final String INSERT = "INSERT INTO \"items\" VALUE {'id': ?, 'n': ?}";

    private static LocalAws aws;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(LocalAwsOptions.defaults());
        dynamo = aws.dynamoDb();
        LocalAwsIT.createTable(dynamo, "items");
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static BatchStatementRequest insert(String id, String number) {
        return BatchStatementRequest.builder().statement(INSERT)
                .parameters(AttributeValue.fromS(id), AttributeValue.fromN(number)).build();
    }

    private static String code(BatchStatementResponse r) {
        return r.error() == null ? "ok" : r.error().codeAsString();
    }

    private static AttributeValue stored(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName("items").consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        return item.isEmpty() ? null : item.get("n");
    }

    @Test
    void anInsertStoresItsItemAndASecondOfTheSameKeyIsADuplicateThatChangesNothing() {
        BatchExecuteStatementResponse first = dynamo.batchExecuteStatement(b -> b.statements(insert("a", "1"), insert("b", "2")));
        assertThat(first.responses()).extracting(DynalitePartiqlInsertIT::code).containsExactly("ok", "ok");
        assertThat(stored("a")).isEqualTo(AttributeValue.fromN("1"));

        BatchExecuteStatementResponse again = dynamo.batchExecuteStatement(b -> b.statements(insert("a", "9"), insert("c", "3")));
        assertThat(again.responses()).extracting(DynalitePartiqlInsertIT::code).containsExactly("DuplicateItem", "ok");
        assertThat(again.responses().get(0).error().code()).isEqualTo(BatchStatementErrorCodeEnum.DUPLICATE_ITEM);
        assertThat(stored("a")).as("the first item stays").isEqualTo(AttributeValue.fromN("1"));
        assertThat(stored("c")).isEqualTo(AttributeValue.fromN("3"));

        // alone, as ExecuteStatement: the same refusal as an exception
        assertThatThrownBy(() -> dynamo.executeStatement(b -> b.statement(INSERT)
                .parameters(AttributeValue.fromS("a"), AttributeValue.fromN("5")))).isInstanceOf(DuplicateItemException.class);
    }

    @Test
    void ofManyClientsInsertingTheSameKeysAtOnceExactlyOneWinsEachKey() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<BatchExecuteStatementResponse>> answers = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                String value = Integer.toString(c);
                answers.add(clients.submit(() -> {
                    List<BatchStatementRequest> statements = new ArrayList<>();
                    for (int k = 0; k < 25; k++) {
                        statements.add(insert("race-" + k, value));
                    }
                    return dynamo.batchExecuteStatement(b -> b.statements(statements));
                }));
            }
            int[] winners = new int[25];
            for (int c = 0; c < 8; c++) {
                List<BatchStatementResponse> responses = answers.get(c).get().responses();
                for (int k = 0; k < 25; k++) {
                    if (responses.get(k).error() == null) {
                        winners[k]++;
                        assertThat(stored("race-" + k)).as("the winner's item").isEqualTo(AttributeValue.fromN(Integer.toString(c)));
                    } else {
                        assertThat(code(responses.get(k))).isEqualTo("DuplicateItem");
                    }
                }
            }
            assertThat(winners).containsOnly(1);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anItemDynamoDbRefusesIsRefusedByItsOwnStatementAndTheOthersAreStored() {
        String bigKey = "k".repeat(2_049); // a partition key is at most 2,048 bytes
        String longestKey = "k".repeat(2_048);
        BatchExecuteStatementResponse answer = dynamo.batchExecuteStatement(b -> b.statements(
                insert("big-number", "1E+126"), // DynamoDB's numbers go up to 9.9999999999999999999999999999999999999E+125
                insert("largest-number", "9.9999999999999999999999999999999999999E+125"),
                insert(bigKey, "1"),
                insert(longestKey, "1"),
                BatchStatementRequest.builder().statement("INSERT INTO \"items\" VALUE {'id': ?, 'pad': ?}")
                        .parameters(AttributeValue.fromS("too-large"), AttributeValue.fromS("x".repeat(400 * 1024))).build(),
                insert("fine", "7")));
        assertThat(answer.responses()).extracting(DynalitePartiqlInsertIT::code)
                .containsExactly("ValidationError", "ok", "ValidationError", "ok", "ValidationError", "ok");
        assertThat(answer.responses().get(0).error().message()).contains("Number overflow");
        assertThat(stored("fine")).isEqualTo(AttributeValue.fromN("7"));
        assertThat(stored("largest-number")).isNotNull();
        assertThat(stored("big-number")).isNull();
        assertThat(stored("too-large")).isNull();
    }

    @Test
    void whatItDoesNotServeRefusesTheWholeRequestAndAMissingTableIsTheStatementsResourceNotFound() {
        for (String statement : List.of("UPDATE \"items\" SET n = 1 WHERE id = 'a'", "INSERT INTO items VALUE {'id': 'literal'}",
                "INSERT INTO no-such-table VALUE {'id': ?}")) {
            assertThatThrownBy(() -> dynamo.batchExecuteStatement(b -> b.statements(insert("not-written", "1"),
                    BatchStatementRequest.builder().statement(statement).parameters(AttributeValue.fromS("x")).build())))
                    .as(statement).isInstanceOf(DynamoDbException.class).hasMessageContaining("serves only");
        }
        assertThat(stored("not-written")).as("nothing of a request refused whole is written").isNull();
        assertThatThrownBy(() -> dynamo.batchExecuteStatement(b -> b.statements(
                BatchStatementRequest.builder().statement(INSERT).parameters(AttributeValue.fromS("one-value-only")).build())))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("2 parameters, and 1 values");

        BatchExecuteStatementResponse answer = dynamo.batchExecuteStatement(b -> b.statements(
                BatchStatementRequest.builder().statement("INSERT INTO \"no-such-table\" VALUE {'id': ?}")
                        .parameters(AttributeValue.fromS("x")).build(), insert("beside-a-missing-table", "1")));
        assertThat(answer.responses()).extracting(DynalitePartiqlInsertIT::code).containsExactly("ResourceNotFound", "ok");

        List<BatchStatementRequest> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            tooMany.add(insert("many-" + i, "1"));
        }
        assertThatThrownBy(() -> dynamo.batchExecuteStatement(b -> b.statements(tooMany)))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("less than or equal to 25");
        assertThat(stored("many-0")).as("a batch refused whole stores nothing").isNull();
    }
}
