package dev.kinesisaggs.app.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the AWS CLI's {@code --destination-config} value as {@code aws lambda create-event-source-mapping} takes it:
 * the shorthand {@code OnFailure={Destination=ARN}}, the JSON {@code {"OnFailure":{"Destination":"ARN"}}}, or either
 * in a file named {@code file://PATH}. A Kinesis mapping has an on-failure destination only.
 */
final class DestinationConfig {
    private static final String FILE_PREFIX = "file://";
    private static final String EXAMPLE = "OnFailure={Destination=arn:aws:sqs:REGION:ACCOUNT:QUEUE}";
    private static final Pattern SHORTHAND_ENTRY = Pattern.compile("\\s*(\\w+)\\s*=\\s*\\{\\s*Destination\\s*=\\s*([^{}]*?)\\s*}\\s*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DestinationConfig() {
    }

    /**
     * The on-failure destination that {@code value} names.
     *
     * @throws IllegalArgumentException with one sentence
     */
    static String onFailureDestination(String value) {
        String text = value.strip();
        if (text.startsWith(FILE_PREFIX)) {
            Path file = Path.of(text.substring(FILE_PREFIX.length()));
            try {
                text = Files.readString(file).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--destination-config " + value + " cannot be read (" + e.getMessage()
                        + "): name a file that holds the destination config");
            }
        }
        Map<String, String> destinations = text.startsWith("{") ? json(text) : shorthand(text);
        for (String kind : destinations.keySet()) {
            if (!kind.equals("OnFailure")) {
                throw new IllegalArgumentException("--destination-config: a Kinesis event source mapping has an OnFailure destination"
                        + " only, not " + kind + ": write " + EXAMPLE);
            }
        }
        String destination = destinations.get("OnFailure");
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("--destination-config names no OnFailure destination: write " + EXAMPLE);
        }
        if (!destination.startsWith("arn:")) {
            // as the AWS CLI's: an ARN; the file it would otherwise name is --destination's (found by a probe: a ./garbage file)
            throw new IllegalArgumentException("--destination-config names '" + destination + "', not an ARN: write " + EXAMPLE
                    + " (an S3 bucket: arn:aws:s3:::BUCKET), or give a JSON-lines file with --destination FILE");
        }
        return destination;
    }

    /** {@code OnFailure={Destination=X}}, entries separated by commas, as the AWS CLI's shorthand syntax writes them. */
    private static Map<String, String> shorthand(String text) {
        Map<String, String> destinations = new LinkedHashMap<>();
        for (String entry : text.split(",(?![^{]*})")) {
            Matcher m = SHORTHAND_ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("--destination-config '" + text + "' is neither the AWS CLI's shorthand nor JSON:"
                        + " write " + EXAMPLE);
            }
            destinations.put(m.group(1), m.group(2));
        }
        return destinations;
    }

    private static Map<String, String> json(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--destination-config is not valid JSON (" + e.getOriginalMessage()
                    + "): write {\"OnFailure\":{\"Destination\":\"arn:aws:sqs:REGION:ACCOUNT:QUEUE\"}}");
        }
        Map<String, String> destinations = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode destination = field.getValue().path("Destination");
            destinations.put(field.getKey(), destination.isTextual() ? destination.asText() : null);
        }
        return destinations;
    }
}
