package dev.kinesisaggs.app.commands;

import picocli.CommandLine.TypeConversionException;

/** Numbers on the command line, refused in words a user reads (picocli's own say "is not a double" or "not an int"). */
final class Numbers {

    private Numbers() {
    }

    static int wholeInt(String value) {
        long n = wholeLong(value);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new TypeConversionException("'" + value + "' is too large a number here");
        }
        return (int) n;
    }

    static long wholeLong(String value) {
        String text = value.strip().replace("_", "");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            if (text.matches("[-+]?\\d+")) {
                throw new TypeConversionException("'" + value + "' is too large a number here");
            }
            if (text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }

    static double decimal(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }

    /** A number as a user wrote it: 5, not 5.0. */
    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
