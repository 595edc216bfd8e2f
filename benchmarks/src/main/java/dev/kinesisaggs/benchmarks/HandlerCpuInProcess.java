package dev.kinesisaggs.benchmarks;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The handler's CPU time per trip in this JVM, with whatever JVM flags it was started with: to compare JIT
 * settings (the java21 runtime's C1-only default against C2) that {@link SaturatedShard}'s environments cannot
 * change. The handler is built as Lambda builds it (real DynamoDB client, trips and quarantine tables on)
 * and pointed at {@link InstantDynamoDb} in this process; the events are {@link ShardBatches}' 6 MB batches,
 * read by the Lambda runtime's own serializer (counted, as on Lambda). CPU time is the process's less the
 * endpoint's threads. Needs the function's artifact on the class path:
 * <pre>
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar:function/target/kinesis-aggs-function-lambda.jar \
 *   dev.kinesisaggs.benchmarks.HandlerCpuInProcess [warm-up batches] [measured batches] [trips CSV]
 * </pre>
 */
public final class HandlerCpuInProcess {

    private HandlerCpuInProcess() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path csv = Path.of(args.length > 2 ? args[2] : "../shared/data/taxi-trips.csv");
        KinesisRecordsOfTrips records = KinesisRecordsOfTrips.aggregatedAll(csv);
        try (InstantDynamoDb dynamo = InstantDynamoDb.start()) {
            // the client DynamoDbClients.create makes, pointed at the endpoint
            DynamoDbClient client = DynamoDbClient.builder()
                    .httpClient(DynamoDbClients.httpClient(FunctionConfig.callsInFlight(1769) + 1))
                    .overrideConfiguration(DynamoDbClients.overrides())
                    .region(Region.US_EAST_1)
                    .endpointOverride(dynamo.endpoint())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDINPROCESS", "benchmark")))
                    .build();
            Map<String, String> env = new HashMap<>();
            env.put("dynamoDBTableName", "kinesisAggs");
            env.put("tripsTableName", "kinesisAggsTrips");
            env.put("rejectsTableName", "kinesisAggsRejects");
            env.put("AWS_REGION", "us-east-1");
            TripWindowHandler handler = new TripWindowHandler(client, FunctionConfig.fromEnvironment(env),
                    Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));
            PojoSerializer<KinesisTimeWindowEvent> serializer =
                    LambdaEventSerializers.serializerFor(KinesisTimeWindowEvent.class, HandlerCpuInProcess.class.getClassLoader());
            ShardBatches shard = new ShardBatches(records, Integer.MAX_VALUE);
            Map<String, String> state = Map.of();
            for (int i = 0; i < warmup; i++) {
                state = handler.handleRequest(serializer.fromJson(shard.next(state).json()), null).getState();
            }
            double cpu0 = dynamo.clientCpuMs();
            long trips = 0;
            long wall0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                ShardBatches.Event event = shard.next(state);
                TimeWindowEventResponse response = handler.handleRequest(serializer.fromJson(event.json()), null);
                state = response.getState();
                trips += event.trips();
            }
            double wallMs = (System.nanoTime() - wall0) / 1e6;
            double cpuMs = dynamo.clientCpuMs() - cpu0;
            System.out.printf(Locale.ROOT, "JVM flags %s: %d batches, %,d trips: %.0f CPU ms per 1,000 trips (the endpoint's threads left out),"
                            + " %.0f wall ms per 1,000 trips on %d processors; calls %s%n",
                    ManagementFactory.getRuntimeMXBean().getInputArguments(), batches, trips, cpuMs / trips * 1000, wallMs / trips * 1000,
                    Runtime.getRuntime().availableProcessors(), dynamo.calls());
        }
        System.exit(0); // the handler's writer threads are daemons; the SDK's are not all
    }
}
