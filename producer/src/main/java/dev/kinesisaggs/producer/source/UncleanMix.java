package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.TripJson;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A source of clean trips with a share of them turned unclean, so that a demo shows the quarantine at work: each
 * chosen trip becomes one of a few {@link Kind kinds} of bad record, in turn, the kinds a real producer gets wrong
 * (a cut-off line, a field left out or mistyped, a value no taxi has, a number DynamoDB cannot store, a retry that
 * puts a trip twice). The choice is seeded: the same seed gives the same records.
 */
public final class UncleanMix implements TripSource {

    /** A way to spoil a clean trip's record. */
    public enum Kind {
        /** The line cut off in the middle: not JSON. */
        TRUNCATED(json -> json.substring(0, json.length() / 2)),
        /** No passenger count. */
        NO_PASSENGERS(json -> json.replaceFirst("\"passengerCount\":\\d+,", "")),
        /** The passenger count as a word. */
        PASSENGERS_AS_WORD(json -> json.replaceFirst("\"passengerCount\":\\d+", "\"passengerCount\":\"two\"")),
        /** Minus one passenger. */
        NEGATIVE_PASSENGERS(json -> json.replaceFirst("\"passengerCount\":\\d+", "\"passengerCount\":-1")),
        /** A distance beyond what DynamoDB can store (its numbers end at 9.9E+125). */
        DISTANCE_BEYOND_DYNAMODB(json -> json.replaceFirst("\"gcDistance\":[-0-9.eE]+", "\"gcDistance\":1e200")),
        /** The same trip put again, as a producer's retry does: a clean record, counted once. */
        DUPLICATE(json -> json);

        private final UnaryOperator<String> spoil;

        Kind(UnaryOperator<String> spoil) {
            this.spoil = spoil;
        }
    }

    private static final List<Kind> KINDS = List.of(Kind.values());

    private final TripSource clean;
    private final double share;
    private final SplittableRandom random;
    private long spoiled;
    private long lineNumber;
    /** A trip to put a second time, right after its first. */
    private SourceItem.GoodTrip again;

    /**
     * @param share the share of trips turned unclean, from 0 (none: the source as it is) to 1
     */
    public UncleanMix(TripSource clean, double share, long seed) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the unclean share is between 0 and 1, not " + share);
        }
        this.clean = Objects.requireNonNull(clean, "clean");
        this.share = share;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Optional<SourceItem> next() throws IOException {
        if (again != null) {
            SourceItem twice = again;
            again = null;
            return Optional.of(twice);
        }
        Optional<SourceItem> item = clean.next();
        lineNumber++;
        if (item.isEmpty() || !(item.get() instanceof SourceItem.GoodTrip good) || share == 0 || random.nextDouble() >= share) {
            return item;
        }
        Kind kind = KINDS.get((int) (spoiled++ % KINDS.size()));
        if (kind == Kind.DUPLICATE) {
            again = good;
            return item;
        }
        String json = TripJson.toJson(good.trip());
        return Optional.of(new SourceItem.BadRow(lineNumber, kind.spoil.apply(json), kind.name().toLowerCase().replace('_', ' ')));
    }

    @Override
    public String describe() {
        return clean.describe() + (share == 0 ? "" : String.format(", %s %% of them unclean", percent(share)));
    }

    @Override
    public void close() throws IOException {
        clean.close();
    }

    static String percent(double share) {
        double p = share * 100;
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
