package dev.kinesisaggs.app.measuring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.aggregates.WindowAggregate;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.localaws.LocalAws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The simulation's claims on dynalite, on counts that run in seconds: a part costs the same write units and requests,
 * and no item grows, whether 2 or 200 shards write the window; and the window's totals read back are exactly every
 * shard's part added up.
 */
class ShardScaleSimulationIT {

    @Test
    void writeUnitsPerPartAndTheLargestItemStayFlatFromTwoToTwoHundredShardsAndTheTotalsAddUp() {
        try (LocalAws aws = LocalAws.start()) {
            ShardScaleSimulation.CapacityMeter meter = new ShardScaleSimulation.CapacityMeter();
            try (DynamoDbClient dynamo = aws.clients().newDynamoDbClient(
                    ClientOverrideConfiguration.builder().addExecutionInterceptor(meter).build())) {
                dynamo.createTable(Tables.aggregatesTable("shardScale"));
                List<ShardScaleSimulation.Row> rows = List.of(2, 20, 200).stream()
                        .map(n -> ShardScaleSimulation.run(dynamo, meter, "shardScale", n, 2)).toList();
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                ShardScaleSimulation.print(new PrintStream(printed, true, StandardCharsets.UTF_8), 2, rows);
                System.out.print(printed.toString(StandardCharsets.UTF_8));

                ShardScaleSimulation.Row two = rows.get(0);
                assertThat(two.writeUnitsPerPart()).isPositive();
                for (ShardScaleSimulation.Row r : rows) {
                    assertThat(r.writeUnitsPerPart()).as("WCU per part at %d shards", r.shards()).isEqualTo(two.writeUnitsPerPart());
                    assertThat(r.writeRequestsPerPart()).as("writes per part at %d shards", r.shards()).isEqualTo(two.writeRequestsPerPart());
                    assertThat(r.largestItem()).as("largest item at %d shards", r.shards()).isEqualTo(two.largestItem());
                    // each shard's part holds v trips of vendor v: the window's totals are the shard count times that
                    assertThat(r.totals()).extracting(WindowAggregate::vendorId, WindowAggregate::trips, WindowAggregate::passengers)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, (long) r.shards(), 2L * r.shards()),
                                    org.assertj.core.groups.Tuple.tuple(2L, 2L * r.shards(), 4L * r.shards()));
                }
            }
        }
    }
}
