package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An endless, seeded stream of taxi trips with the shape and distribution of the workshop's real data set,
 * so that a fresh checkout runs with no data file.
 *
 * <p>Calibrated on the real set (39,396 trips, 2016-01-01 to 01-08):
 * <ul>
 *   <li>vendor 2 54.1 %, vendor 1 45.9 %;</li>
 *   <li>passengers drawn per vendor, so that vendor 2 carries almost all 5- and 6-passenger trips and the
 *       overall shares are 1: 70 %, 2: 15 %, 3: 4 %, 4: 2.4 %, 5: 5.6 %, 6: 3.3 %, with rare 0 and 8;</li>
 *   <li>trip duration log-normal with median 589 s and p90 1426 s (hence p99 about 2930 s, real 2986 s);</li>
 *   <li>straight-line speed log-normal (median 8.8 mph, p90 16.6 mph), which gives the great-circle distance
 *       and its correlation with duration; road distance and duration (the "Google" fields) a log-normal
 *       factor above them, and empty in 1.42 % of trips as in the real set;</li>
 *   <li>pickups mostly around Manhattan, 3 % at JFK and 2 % at LaGuardia; dropoffs at that distance in a
 *       random direction, kept inside New York City;</li>
 *   <li>pickups about 4 a minute (exponential gaps of 15 s mean), starting at a given date-time;</li>
 *   <li>ids {@code id} + 7 digits as in the workshop's set, unique: the first 10 million ids are a seeded
 *       permutation of the 7-digit numbers; after that a block number is put in front of the 7 digits.</li>
 * </ul>
 * The same seed gives the same trips, on any machine.
 */
public final class SyntheticTripSource implements TripSource {

    /** The real data set starts here; a fine default, and shifting to "now" is the producer's business. */
    public static final LocalDateTime DEFAULT_START = LocalDateTime.of(2016, 1, 1, 0, 0);

    private static final double VENDOR_2_SHARE = 0.541;
    // Cumulative passenger-count tables per vendor, measured on the real set: {count, cumulative probability}.
    private static final double[][] VENDOR_1_PASSENGERS = cumulative(new double[][] {
            {0, 0.0001}, {1, 0.7972}, {2, 0.1419}, {3, 0.0352}, {4, 0.0247}, {5, 0.0007}, {6, 0.0002}});
    private static final double[][] VENDOR_2_PASSENGERS = cumulative(new double[][] {
            {0, 0.0001}, {1, 0.6136}, {2, 0.1519}, {3, 0.0477}, {4, 0.0224}, {5, 0.1028}, {6, 0.0614}, {8, 0.0001}});

    private static final double DURATION_MEDIAN_S = 589;
    private static final double DURATION_SIGMA = Math.log(1426.0 / 589.0) / 1.2816; // p90 = 1426 s
    private static final double SPEED_MEDIAN_MPH = 8.8;
    private static final double SPEED_SIGMA = Math.log(16.6 / 8.8) / 1.2816;
    private static final double MAX_SPEED_MPH = 45;
    private static final double ROAD_FACTOR_MEDIAN = 1.354;
    private static final double ROAD_FACTOR_SIGMA = 0.19;
    private static final double ROAD_TIME_FACTOR_MEDIAN = 1.21;
    private static final double ROAD_TIME_FACTOR_SIGMA = 0.32;
    private static final double NO_ROAD_FIELDS_SHARE = 0.0142;
    private static final double STORE_AND_FORWARD_SHARE = 0.0058;
    private static final double MEAN_PICKUP_GAP_S = 15;

    // New York City, roughly: trips starting or ending outside are re-aimed.
    private static final double MIN_LAT = 40.50;
    private static final double MAX_LAT = 40.92;
    private static final double MIN_LON = -74.26;
    private static final double MAX_LON = -73.70;
    private static final double MILES_PER_DEGREE_LAT = 69.05;
    private static final double MILES_PER_DEGREE_LON = 52.4; // at 40.75 N
    private static final double METRES_PER_MILE = 1609.344;

    private static final long IDS_PER_BLOCK = 10_000_000L;
    // Coprime with 10^7, so that n -> n * STRIDE + offset (mod 10^7) is a permutation of the 7-digit numbers.
    private static final long ID_STRIDE = 7_368_787L;

    private final long seed;
    private final SplittableRandom random;
    private final long idOffset;
    private LocalDateTime pickup;
    private long generated;

    public SyntheticTripSource(long seed) {
        this(seed, DEFAULT_START);
    }

    public SyntheticTripSource(long seed, LocalDateTime firstPickup) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.idOffset = random.nextLong(IDS_PER_BLOCK);
        this.pickup = firstPickup;
    }

    @Override
    public Optional<SourceItem> next() {
        return Optional.of(new SourceItem.GoodTrip(nextTrip()));
    }

    /** The next generated trip; never ends. */
    public Trip nextTrip() {
        String id = idFor(generated++);
        int vendorId = random.nextDouble() < VENDOR_2_SHARE ? 2 : 1;
        int passengers = draw(vendorId == 2 ? VENDOR_2_PASSENGERS : VENDOR_1_PASSENGERS);
        long durationS = Math.max(1, Math.round(logNormal(DURATION_MEDIAN_S, DURATION_SIGMA)));
        double gcMiles = speedMph() * durationS / 3600.0;

        double[] from = pickupPoint();
        double[] to = destination(from, gcMiles);
        double straightMiles = miles(from, to); // shorter than drawn when the trip had to be kept in the city

        Long roadMetres = null;
        Long roadSeconds = null;
        if (random.nextDouble() >= NO_ROAD_FIELDS_SHARE) {
            double factor = Math.max(1.0, logNormal(ROAD_FACTOR_MEDIAN, ROAD_FACTOR_SIGMA));
            roadMetres = Math.round(straightMiles * METRES_PER_MILE * factor);
            roadSeconds = Math.max(1, Math.round(durationS * logNormal(ROAD_TIME_FACTOR_MEDIAN, ROAD_TIME_FACTOR_SIGMA)));
        }
        String storeAndForward = random.nextDouble() < STORE_AND_FORWARD_SHARE ? "Y" : "N";

        LocalDateTime pickupDate = pickup;
        pickup = pickup.plusSeconds(Math.round(-MEAN_PICKUP_GAP_S * Math.log(1 - random.nextDouble())));
        return new Trip(id, vendorId, pickupDate, pickupDate.plusSeconds(durationS), passengers,
                round(from[1], 8), round(from[0], 8), round(to[1], 8), round(to[0], 8),
                storeAndForward, round(straightMiles, 9), durationS, roadMetres, roadSeconds);
    }

    @Override
    public String describe() {
        return "synthetic trips (seed " + seed + ")";
    }

    private String idFor(long n) {
        long block = n / IDS_PER_BLOCK;
        long digits = Math.floorMod(Math.multiplyExact(n % IDS_PER_BLOCK, ID_STRIDE) + idOffset, IDS_PER_BLOCK);
        return "id" + (block == 0 ? "" : Long.toString(block)) + String.format("%07d", digits);
    }

    private double[] pickupPoint() {
        double u = random.nextDouble();
        if (u < 0.03) {
            return jitter(40.6446, -73.7823, 0.004); // JFK
        }
        if (u < 0.05) {
            return jitter(40.7730, -73.8710, 0.003); // LaGuardia
        }
        for (;;) {
            double lat = 40.7549 + 0.024 * random.nextGaussian();
            double lon = -73.9811 + 0.017 * random.nextGaussian();
            if (inCity(lat, lon)) {
                return new double[] {lat, lon};
            }
        }
    }

    private double[] jitter(double lat, double lon, double sd) {
        return new double[] {lat + sd * random.nextGaussian(), lon + sd * random.nextGaussian()};
    }

    /** A point at the given straight-line distance in a random direction, inside the city; shortened if no direction fits. */
    private double[] destination(double[] from, double miles) {
        for (double distance = miles; ; distance *= 0.7) {
            for (int attempt = 0; attempt < 8; attempt++) {
                double bearing = random.nextDouble() * 2 * Math.PI;
                double lat = from[0] + distance * Math.cos(bearing) / MILES_PER_DEGREE_LAT;
                double lon = from[1] + distance * Math.sin(bearing) / MILES_PER_DEGREE_LON;
                if (inCity(lat, lon)) {
                    return new double[] {lat, lon};
                }
            }
        }
    }

    private static boolean inCity(double lat, double lon) {
        return lat > MIN_LAT && lat < MAX_LAT && lon > MIN_LON && lon < MAX_LON;
    }

    /** Great-circle distance in miles (haversine), as the data set's gc_distance. */
    static double miles(double[] a, double[] b) {
        double lat1 = Math.toRadians(a[0]);
        double lat2 = Math.toRadians(b[0]);
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b[1] - a[1]);
        double h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 3958.8 * Math.asin(Math.sqrt(h));
    }

    /** Straight-line speed; the log-normal's far tail is cut, because no taxi crosses the city at 60 mph as the crow flies. */
    private double speedMph() {
        for (;;) {
            double speed = logNormal(SPEED_MEDIAN_MPH, SPEED_SIGMA);
            if (speed <= MAX_SPEED_MPH) {
                return speed;
            }
        }
    }

    private double logNormal(double median, double sigma) {
        return median * Math.exp(sigma * random.nextGaussian());
    }

    private int draw(double[][] cumulativeTable) {
        double u = random.nextDouble();
        for (double[] row : cumulativeTable) {
            if (u < row[1]) {
                return (int) row[0];
            }
        }
        return (int) cumulativeTable[cumulativeTable.length - 1][0];
    }

    private static double[][] cumulative(double[][] table) {
        double total = 0;
        for (double[] row : table) {
            total += row[1];
        }
        double[][] result = new double[table.length][];
        double running = 0;
        for (int i = 0; i < table.length; i++) {
            running += table[i][1] / total;
            result[i] = new double[] {table[i][0], running};
        }
        return result;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
