package dev.kinesisaggs.benchmarks;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.esm.runtime.LambdaJvmFlags;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import dev.kinesisaggs.function.storage.TripClaims;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The SDK's own cost of storing trips as the function does: its CPU time for the function's request of
 * {@code --per-call} trips (25 by default: {@link TripClaims#insertRequest}, the real data set's trips; 1 shows the cost of a
 * call per trip, the design before 2026-12-05), made from as many threads as the function keeps calls in flight, and
 * nothing else of the function around it. Against {@link InstantDynamoDb} in this
 * process, whose threads' CPU is left out. The first 1,000 trips of the fresh JVM are reported apart: a cold start's
 * first 1,000-trip invocation pays them (class loading, the interpreter, the JIT at work), then rounds of warm ones.
 * {@code --http} chooses the SDK's HTTP client: {@code apache5} (the function's since 2026-12-05), {@code url} (the
 * JDK's, the function's before) or {@code crt} (AWS's common runtime, native).
 *
 * <p>Run it with the JVM flags of Lambda's java21 runtime, one HTTP client per JVM (what is cold in one would be warm in
 * the next); the CPU time is measured, so no CPU quota is needed:
 * <pre>
 * java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
 *   -cp benchmarks/target/benchmarks.jar:function/target/kinesis-aggs-function-lambda.jar \
 *   dev.kinesisaggs.benchmarks.SdkCallFloor [--http url|apache5|crt] [--trips 25000] [--rounds 4] [--per-call 25] [--csv ../shared/data/taxi-trips.csv]
 * </pre>
 */
public final class SdkCallFloor {

    /** A shard read at its limit, in trips a second of the producer's KPL aggregates (issue 12). */
    private static final int SATURATED_SHARD_TRIPS_PER_S = 6_000;
    private static final int COLD_TRIPS = 1_000;
    private static final String TABLE = "kinesisAggsTrips";
    private static final String SHARD = "shardId-000000000000";
    /** The function's calls in flight at one vCPU. */
    private static final int IN_FLIGHT = FunctionConfig.callsInFlight(LambdaJvmFlags.ONE_VCPU_MB);

    private SdkCallFloor() {
    }

    public static void main(String[] args) throws Exception {
        String http = "apache5";
        int tripsPerRound = 25_000;
        int rounds = 4;
        int perCall = 25;
        Path csv = Path.of("../shared/data/taxi-trips.csv");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--http" -> http = args[++i];
                case "--trips" -> tripsPerRound = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--per-call" -> perCall = Integer.parseInt(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + ": --http url|apache5|crt, --trips N, --rounds N, --per-call N, --csv FILE");
            }
        }
        List<Trip> trips = KinesisRecordsOfTrips.cleanTrips(csv);
        try (InstantDynamoDb endpoint = InstantDynamoDb.start();
             DynamoDbClient client = client(http, endpoint)) {
            ExecutorService writers = Executors.newFixedThreadPool(IN_FLIGHT);
            System.out.printf(Locale.ROOT, "HTTP client %s, %d calls in flight, JVM flags %s, %d processors%n", http, IN_FLIGHT,
                    ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().availableProcessors());
            AtomicInteger next = new AtomicInteger();
            Round cold = round(client, writers, trips, next, COLD_TRIPS, perCall, endpoint);
            System.out.printf(Locale.ROOT, "%d trips a call; first %,d trips of the JVM: %s%n", perCall, COLD_TRIPS, cold);
            double best = Double.MAX_VALUE;
            for (int r = 1; r <= rounds; r++) {
                Round warm = round(client, writers, trips, next, tripsPerRound, perCall, endpoint);
                best = Math.min(best, warm.cpuMicrosPerTrip());
                System.out.printf(Locale.ROOT, "round %d, %,d trips: %s%n", r, tripsPerRound, warm);
            }
            writers.shutdown();
            double perVcpu = 1e6 / best;
            System.out.printf(Locale.ROOT, "Best warm round: %.0f CPU us a trip, at most %,.0f trips a second per vCPU. At %,d trips/s"
                            + " the SDK's calls alone need %.2f vCPUs (Lambda gives one per %,d MB).%n"
                            + "Calls answered: %s%n",
                    best, perVcpu, SATURATED_SHARD_TRIPS_PER_S, SATURATED_SHARD_TRIPS_PER_S / perVcpu, LambdaJvmFlags.ONE_VCPU_MB,
                    endpoint.calls());
        }
        System.exit(0); // the CRT's and the SDK's own threads are not all daemons
    }

    /** What a round of trips cost. */
    private record Round(int trips, double cpuMs, double wallMs) {
        double cpuMicrosPerTrip() {
            return cpuMs * 1000 / trips;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f CPU us a trip (%,.0f trips per CPU-second), %,.0f trips a second on the wall clock",
                    cpuMicrosPerTrip(), trips / cpuMs * 1000, trips / wallMs * 1000);
        }
    }

    private static Round round(DynamoDbClient client, ExecutorService writers, List<Trip> trips, AtomicInteger next, int count,
                               int perCall, InstantDynamoDb endpoint) throws Exception {
        int end = next.get() + count;
        double cpu0 = endpoint.clientCpuMs();
        long wall0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < IN_FLIGHT; t++) {
            running.add(writers.submit(() -> {
                for (int from = next.getAndAdd(perCall); from < end; from = next.getAndAdd(perCall)) {
                    List<TripClaims.Claim> claims = new ArrayList<>(perCall);
                    for (int i = from; i < Math.min(from + perCall, end); i++) {
                        // an occurrence as the function writes it: shard, sequence number, sub-sequence number
                        String occurrence = SHARD + ":49590338271490256608559692538361571095921575989136588898:" + i;
                        claims.add(new TripClaims.Claim(i, trips.get(i % trips.size()), occurrence));
                    }
                    client.batchExecuteStatement(TripClaims.insertRequest(TABLE, claims));
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        next.set(end);
        return new Round(count, endpoint.clientCpuMs() - cpu0, (System.nanoTime() - wall0) / 1e6);
    }

    /**
     * The function's client (its retries and call time limits) over the chosen HTTP client: the function's own for
     * {@code apache5}, the others with the same time limits or their defaults, each keeping as many connections as calls
     * in flight.
     */
    private static DynamoDbClient client(String http, InstantDynamoDb endpoint) {
        SdkHttpClient httpClient = switch (http) {
            case "url" -> {
                System.setProperty("http.maxConnections", Integer.toString(IN_FLIGHT + 1)); // the JDK's client keeps 5 unless told
                yield UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)).build();
            }
            case "apache5" -> DynamoDbClients.httpClient(IN_FLIGHT + 1);
            case "crt" -> AwsCrtHttpClient.builder().maxConcurrency(IN_FLIGHT + 1).build();
            default -> throw new IllegalArgumentException("--http is url, apache5 or crt, not " + http);
        };
        return DynamoDbClient.builder()
                .httpClient(httpClient)
                .overrideConfiguration(DynamoDbClients.overrides())
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSDKFLOOR", "benchmark")))
                .build();
    }
}
