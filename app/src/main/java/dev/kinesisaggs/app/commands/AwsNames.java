package dev.kinesisaggs.app.commands;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The names AWS allows for the tables and the stream an option names, checked when the option is read: otherwise a
 * bad name is met only when the first call is refused, after emulators or a mapping have started (or, for a
 * checkpoint table, in retries that never end).
 */
final class AwsNames {

    private static final Pattern NAME_CHARACTERS = Pattern.compile("[a-zA-Z0-9_.-]+");

    private AwsNames() {
    }

    /** A DynamoDB table name, 3 to 255 of letters, digits, '_', '.' and '-'; blank is left to the option (a default, or off). */
    static final class Table implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.strip();
            if (!name.isEmpty()) {
                check(value, name);
            }
            return name;
        }
    }

    /** A DynamoDB table name that may not be left blank. */
    static final class RequiredTable implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return check(value, value.strip());
        }
    }

    private static String check(String value, String name) {
        if (name.length() < 3 || name.length() > 255 || !NAME_CHARACTERS.matcher(name).matches()) {
            throw new TypeConversionException("'" + value + "' is not a DynamoDB table name: 3 to 255 letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    /** A Kinesis stream name, 1 to 128 of letters, digits, '_', '.' and '-'. */
    static final class Stream implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.length() > 128 || !NAME_CHARACTERS.matcher(value).matches()) {
                throw new TypeConversionException("'" + value + "' is not a Kinesis stream name: 1 to 128 letters, digits, '_', '.' or '-'");
            }
            return value;
        }
    }
}
