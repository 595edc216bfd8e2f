package dev.kinesisaggs.producer.source;

import java.util.BitSet;
import java.util.regex.Pattern;

/**
 * The fresh ids of a replayed source's later laps, chosen once its first lap has been read, so that no id of a later
 * lap is an id of the file or of another lap, whatever the file's ids are.
 * <ul>
 *   <li>When every id of the first lap is a workshop id ({@code id} + 7 digits), the lap number goes before the digits
 *       ({@code id0190469} in lap 3 is {@code id30190469}): the workshop's style, with more than 7 digits, so no
 *       original; and the last 7 digits and the lap before them tell the original and its lap apart.</li>
 *   <li>Otherwise a separator that no id of the first lap contains is added, then the lap ({@code abc} in lap 3 is
 *       {@code abc~3}): no original has the separator, and the first separator tells the original and its lap apart.
 *       A fixed suffix would not do: {@code trip} in lap 1 would be {@code trip-1}, which the file may hold too.</li>
 * </ul>
 */
final class LapIds {

    private static final Pattern WORKSHOP_ID = Pattern.compile("id\\d{7}");
    /** Separators tried in this order; the private-use characters after them, should a file's ids hold them all. */
    private static final String SEPARATORS = "~|#^!";
    private static final char PRIVATE_USE = '\uE000';

    private final BitSet charsInIds = new BitSet(Character.MAX_VALUE + 1);
    private boolean allWorkshopIds = true;
    private String separator;

    /** Takes in an id of the first lap. */
    void firstLapId(String id) {
        if (separator != null) {
            throw new IllegalStateException("The first lap is over: the later laps' ids are chosen already.");
        }
        allWorkshopIds &= WORKSHOP_ID.matcher(id).matches();
        id.chars().forEach(charsInIds::set);
    }

    /** The id of a trip in lap {@code lap} (0 for the first, which keeps the original id). */
    String lapId(String id, long lap) {
        if (lap == 0) {
            return id;
        }
        if (allWorkshopIds) {
            return "id" + lap + id.substring(2);
        }
        return id + separator() + lap;
    }

    private String separator() {
        if (separator == null) {
            char chosen = SEPARATORS.chars().filter(c -> !charsInIds.get(c)).mapToObj(c -> (char) c).findFirst()
                    .orElseGet(() -> (char) charsInIds.nextClearBit(PRIVATE_USE));
            separator = String.valueOf(chosen);
        }
        return separator;
    }
}
