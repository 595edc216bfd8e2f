package dev.kinesisaggs.app;

import java.util.Locale;

/** What a terminal is shown of text that came from a record or another program: nothing it could act on. */
public final class TerminalText {

    private TerminalText() {
    }

    /**
     * At most {@code max} code points of {@code s}, with control and format characters (line breaks, escape sequences,
     * bidirectional overrides) written as {@code \\uXXXX} (surrogates alone too), so that one record stays on its line and the
     * terminal shows it as it is: a record is whatever a producer sent, and a terminal takes its escape sequences for
     * commands (clearing the screen, a window title, text turned around).
     */
    public static String printable(String s, int max) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < s.length(); ) {
            if (shown == max) {
                return out.append("...").toString();
            }
            int c = s.codePointAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || (c >= 0xD800 && c <= 0xDFFF)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
            i += Character.charCount(c);
            shown++;
        }
        return out.toString();
    }

    /** {@link #printable(String, int)} without a limit. */
    public static String printable(String s) {
        return printable(s, Integer.MAX_VALUE);
    }
}
