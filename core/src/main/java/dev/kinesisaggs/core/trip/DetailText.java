package dev.kinesisaggs.core.trip;

/**
 * Text from a record, made fit for a rejection's detail: short, and always text. A JSON string may carry a lone
 * UTF-16 surrogate (an escaped {@code \ud800}), and cutting a string by its length may leave half of a pair; no
 * encoding of text holds either, and what DynamoDB makes of a string holding one is not documented (stored as
 * "?", refused, or the whole request refused). So each lone surrogate becomes U+FFFD, the replacement character,
 * and a cut never falls inside a pair.
 */
public final class DetailText {

    private static final char REPLACEMENT = '\uFFFD';
    private static final String ELLIPSIS = "...";

    private DetailText() {
    }

    /** The text with lone surrogates replaced; cut to at most {@code max} chars, ending in "...", when longer. */
    public static String cut(String text, int max) {
        if (max < ELLIPSIS.length() + 2) {
            throw new IllegalArgumentException("max must leave room for a character and the ellipsis, not " + max);
        }
        String whole = wellFormed(text);
        if (whole.length() <= max) {
            return whole;
        }
        int end = max - ELLIPSIS.length();
        if (Character.isHighSurrogate(whole.charAt(end - 1))) {
            end--; // well-formed, so its low half follows: keep the pair out whole
        }
        return whole.substring(0, end) + ELLIPSIS;
    }

    /** The text with every lone surrogate replaced by U+FFFD; the same string when it has none. */
    public static String wellFormed(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone;
            if (Character.isHighSurrogate(c)) {
                lone = i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
            } else {
                lone = Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
            }
            if (lone && fixed == null) {
                fixed = new StringBuilder(text);
            }
            if (lone) {
                fixed.setCharAt(i, REPLACEMENT);
            }
        }
        return fixed == null ? text : fixed.toString();
    }
}
