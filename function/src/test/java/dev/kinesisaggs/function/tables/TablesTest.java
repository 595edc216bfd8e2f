package dev.kinesisaggs.function.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class TablesTest {

    @Test
    void environmentDefaultsToTheLabsTableAndSwitchesOptionalTablesOff() {
        TableNames names = TableNames.fromEnvironment(Map.of());
        assertThat(names.aggregates()).isEqualTo("kinesisAggs");
        assertThat(names.tripsTable()).isEmpty();
        assertThat(names.rejectsTable()).isEmpty();

        TableNames blank = TableNames.fromEnvironment(Map.of("dynamoDBTableName", " ", "tripsTableName", ""));
        assertThat(blank.aggregates()).isEqualTo("kinesisAggs");
        assertThat(blank.tripsTable()).isEmpty();
    }

    @Test
    void environmentNamesEveryTable() {
        TableNames names = TableNames.fromEnvironment(Map.of(
                "dynamoDBTableName", "aggs", "tripsTableName", "trips", "rejectsTableName", "rejects"));
        assertThat(names).isEqualTo(new TableNames("aggs", "trips", "rejects"));
        assertThat(Tables.definitions(names)).extracting(CreateTableRequest::tableName)
                .containsExactly("aggs", "trips", "rejects");
    }

    @Test
    void oneNameForTwoTablesIsRefused() {
        assertThatThrownBy(() -> new TableNames("t", "t", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The aggregates, trips and quarantine tables need a name each, not 't' for two of them");
        assertThatThrownBy(() -> new TableNames("t ", null, "t")).hasMessageContaining("not 't' for two of them");
        assertThatThrownBy(() -> new TableNames("a", "t", "t")).hasMessageContaining("not 't' for two of them");
        assertThat(TableNames.fromEnvironment(Map.of("dynamoDBTableName", "a", "tripsTableName", "", "rejectsTableName", "")))
                .isEqualTo(new TableNames("a", null, null));
    }

    @Test
    void aTableOfAnotherKeyIsSaidInOneSentenceAndOneOfTheSameKeyIsFine() {
        CreateTableRequest trips = Tables.tripsTable("t");
        TableDescription aggregates = describe(Tables.aggregatesTable("t"));

        assertThat(Tables.keyProblem(trips, aggregates)).contains("The table t has the key vendorId (N) + windowStart (S), where"
                + " a trips table has id (S)");
        assertThat(Tables.keyProblem(Tables.aggregatesTable("t"), describe(Tables.rejectsTable("t"))))
                .contains("The table t has the key recordId (S), where an aggregates table has vendorId (N) + windowStart (S)");
        assertThat(Tables.keyProblem(trips, describe(trips))).isEmpty();
        assertThat(Tables.keyProblem(Tables.aggregatesTable("t"), aggregates)).isEmpty();
    }

    private static TableDescription describe(CreateTableRequest table) {
        return TableDescription.builder().tableName(table.tableName()).keySchema(table.keySchema())
                .attributeDefinitions(table.attributeDefinitions()).build();
    }

    @Test
    void emptyAggregatesNameIsRefused() {
        assertThatThrownBy(() -> new TableNames("", null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aggregatesAreKeyedByVendorNumberAndWindowStartString() {
        CreateTableRequest t = Tables.aggregatesTable("kinesisAggs");
        assertThat(t.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("vendorId:" + KeyType.HASH, "windowStart:" + KeyType.RANGE);
        assertThat(t.attributeDefinitions()).extracting(a -> a.attributeName() + ":" + a.attributeTypeAsString())
                .containsExactlyInAnyOrder("vendorId:N", "windowStart:S");
        assertThat(t.billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    }

    @Test
    void tripsAndRejectsHaveOneStringKey() {
        assertThat(Tables.tripsTable("t").keySchema()).singleElement()
                .satisfies(k -> assertThat(k.attributeName()).isEqualTo("id"));
        assertThat(Tables.rejectsTable("r").keySchema()).singleElement()
                .satisfies(k -> assertThat(k.attributeName()).isEqualTo("recordId"));
        assertThat(Tables.rejectsTable("r").billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    }
}
