package dev.kinesisaggs.function.tables;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The names of the three tables. The aggregates table always exists; the trips table and the
 * quarantine table are optional (an empty name switches them off).
 *
 * @param aggregates per vendor and window sums, e.g. {@code kinesisAggs}
 * @param trips      clean trips keyed by {@code id}; {@code null} when switched off
 * @param rejects    quarantined records keyed by {@code recordId}; {@code null} when switched off
 */
public record TableNames(String aggregates, String trips, String rejects) {

    /** The lab's table name, used when {@code dynamoDBTableName} is not set. */
    public static final String DEFAULT_AGGREGATES = "kinesisAggs";
    /** The trips table that the SAM template and the local commands create by default. */
    public static final String DEFAULT_TRIPS = "kinesisAggsTrips";
    /** The quarantine table that the SAM template and the local commands create by default. */
    public static final String DEFAULT_REJECTS = "kinesisAggsRejects";

    /** The function's environment variables that name the tables (the template sets them). */
    public static final String AGGREGATES_VARIABLE = "dynamoDBTableName";
    public static final String TRIPS_VARIABLE = "tripsTableName";
    public static final String REJECTS_VARIABLE = "rejectsTableName";

    /** All three tables under their default names: what {@code template.yaml} and the local commands create. */
    public static TableNames defaults() {
        return new TableNames(DEFAULT_AGGREGATES, DEFAULT_TRIPS, DEFAULT_REJECTS);
    }

    public TableNames {
        Objects.requireNonNull(aggregates, "aggregates");
        if (aggregates.isBlank()) {
            throw new IllegalArgumentException("the aggregates table name must not be empty");
        }
        trips = blankToNull(trips);
        rejects = blankToNull(rejects);
        // one table in two roles takes items of two kinds under one key, and refuses one kind of them item by item
        Set<String> seen = new HashSet<>();
        for (String name : Arrays.asList(aggregates.strip(), trips, rejects)) {
            if (name != null && !seen.add(name)) {
                throw new IllegalArgumentException("The aggregates, trips and quarantine tables need a name each, not '" + name
                        + "' for two of them");
            }
        }
    }

    /**
     * Reads the function's environment: {@code dynamoDBTableName} (default {@code kinesisAggs}),
     * {@code tripsTableName} and {@code rejectsTableName} (empty or absent = off).
     */
    public static TableNames fromEnvironment(Map<String, String> env) {
        String aggregates = blankToNull(env.get(AGGREGATES_VARIABLE));
        return new TableNames(aggregates == null ? DEFAULT_AGGREGATES : aggregates,
                env.get(TRIPS_VARIABLE), env.get(REJECTS_VARIABLE));
    }

    /** The environment variables that configure the function with these tables: {@link #fromEnvironment}'s inverse. */
    public Map<String, String> toEnvironment() {
        return Map.of(AGGREGATES_VARIABLE, aggregates, TRIPS_VARIABLE, trips == null ? "" : trips,
                REJECTS_VARIABLE, rejects == null ? "" : rejects);
    }

    public Optional<String> tripsTable() {
        return Optional.ofNullable(trips);
    }

    public Optional<String> rejectsTable() {
        return Optional.ofNullable(rejects);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
