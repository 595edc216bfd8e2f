package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.esm.checkpoint.ForeignCheckpointException;
import dev.kinesisaggs.esm.checkpoint.MappingIdentity;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoints in DynamoDB belong to one mapping (dynalite): keyed by its identity, refused when written for another stream. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbCheckpointStoreIT {

    private static final String SHARD = "shardId-000000000000";
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:f";

    private static String stream(String name) {
        return "arn:aws:kinesis:us-east-1:000000000000:stream/" + name;
    }

    @Test
    void mappingsOfTwoStreamsUnderOneNameKeepTheirOwnCheckpoints(DynamoDbClient dynamoDb) {
        DynamoDbCheckpointStore store = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", Clock.systemUTC());
        String name = "m-" + UUID.randomUUID();
        MappingIdentity trips = new MappingIdentity(name, stream("trips"), FUNCTION);
        MappingIdentity fares = new MappingIdentity(name, stream("fares"), FUNCTION);

        store.save(trips, SHARD, Checkpoint.at("100"));

        assertThat(store.load(trips, SHARD)).contains(Checkpoint.at("100"));
        assertThat(store.load(fares, SHARD)).isEmpty();
        assertThat(store.loadByName(name, SHARD)).contains(Checkpoint.at("100"));
    }

    @Test
    void anEntryWrittenForAnotherStreamIsRefused(DynamoDbClient dynamoDb) {
        DynamoDbCheckpointStore store = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", Clock.systemUTC());
        MappingIdentity trips = new MappingIdentity("m-" + UUID.randomUUID(), stream("trips"), FUNCTION);
        store.save(trips, SHARD, Checkpoint.at("100"));
        // someone copied another mapping's entry under this mapping's key
        dynamoDb.updateItem(b -> b.tableName("esmCheckpointsIT")
                .key(Map.of("mappingId", AttributeValue.fromS(trips.uuid()), "shardId", AttributeValue.fromS(SHARD)))
                .updateExpression("SET streamArn = :s").expressionAttributeValues(Map.of(":s", AttributeValue.fromS(stream("fares")))));

        assertThatThrownBy(() -> store.load(trips, SHARD)).isInstanceOf(ForeignCheckpointException.class)
                .hasMessageContaining("belongs to stream " + stream("fares") + ", not " + stream("trips"));
    }

    @Test
    void anEntryOfATableWrittenBeforeIdentitiesIsStillRead(DynamoDbClient dynamoDb) {
        DynamoDbCheckpointStore store = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", Clock.systemUTC());
        store.ensureTable();
        String name = "m-" + UUID.randomUUID();
        // as the store wrote it before: keyed by the name, no stream
        dynamoDb.putItem(b -> b.tableName("esmCheckpointsIT").item(Map.of("mappingId", AttributeValue.fromS(name),
                "shardId", AttributeValue.fromS(SHARD), "checkpoint", AttributeValue.fromS("42"))));
        MappingIdentity mapping = new MappingIdentity(name, stream("trips"), FUNCTION);

        assertThat(store.load(mapping, SHARD)).contains(Checkpoint.at("42"));
        store.save(mapping, SHARD, Checkpoint.at("43"));
        assertThat(store.load(mapping, SHARD)).contains(Checkpoint.at("43"));
    }
}
