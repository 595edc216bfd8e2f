package dev.kinesisaggs.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What a user can cause through the AWS SDK or the file system, as one sentence that says what to do: the last line of
 * defence behind the commands' own messages, so that no such error ever reaches the user as a stack trace.
 */
public final class AwsErrors {

    /** The error codes of AWS's services that mean: these credentials may not do this, or are not credentials. */
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch",
            "IncompleteSignature", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
            "ExpiredToken", "ExpiredTokenException", "NotAuthorized", "AuthFailure");

    /** The SDK's service names as AWS writes them, where they differ ("DynamoDb" is the SDK's). */
    private static final Map<String, String> AWS_SPELLING = Map.of("DynamoDb", "DynamoDB", "Sqs", "SQS");

    private AwsErrors() {
    }

    /** The sentence for {@code e} or one of its causes, when it is something the user can fix. */
    public static Optional<String> sentence(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof AwsServiceException s) {
                return Optional.of(service(s));
            }
            if (t instanceof SdkClientException c) {
                return Optional.of(cannotReach("AWS", c).getMessage());
            }
            if (t instanceof UncheckedIOException || t instanceof IOException) {
                IOException io = t instanceof UncheckedIOException u ? u.getCause() : (IOException) t;
                if (io instanceof java.nio.charset.CharacterCodingException) {
                    return Optional.of("A file given is not UTF-8 text where text is expected: check that it is the file you meant.");
                }
                return Optional.of("Cannot read or write a file (" + describe(io) + "): check the path and its permissions.");
            }
        }
        return Optional.empty();
    }

    private static String service(AwsServiceException e) {
        String service = e.awsErrorDetails() == null || e.awsErrorDetails().serviceName() == null ? "AWS"
                : AWS_SPELLING.getOrDefault(e.awsErrorDetails().serviceName(), e.awsErrorDetails().serviceName());
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage().strip();
        if (DENIED.contains(code) || e.statusCode() == 403) {
            return service + " refused the request for these credentials (" + (code.isEmpty() ? "HTTP 403" : code)
                    + "): use credentials allowed to use it (AWS_PROFILE, aws configure), or the emulators' variables that"
                    + " 'kinesis-aggs local' prints.";
        }
        if (code.equals("ResourceNotFoundException")) {
            return service + " has no such resource" + (message.isEmpty() ? "" : " (" + stripDot(message) + ")")
                    + ": create it ('kinesis-aggs local' creates the stream and the tables), or name an existing one"
                    + " with --stream or --table.";
        }
        if (code.isEmpty()) {
            // an answer with no error code of AWS's: a web server or another service where the endpoint should be
            return service + " answered HTTP " + e.statusCode() + " without an AWS error in it, so the endpoint is probably not a "
                    + service + " endpoint: check --endpoint-url, or the endpoint variables (AWS_ENDPOINT_URL_KINESIS,"
                    + " AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL).";
        }
        return service + " refused the request (" + code + (message.isEmpty() ? "" : ": " + stripDot(message)) + ").";
    }

    /** The SDK's "cannot even send the request" errors, as one sentence that says what to set. */
    public static UserError cannotReach(String services, SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unable to load region")) {
            return new UserError("No AWS region is set: set AWS_REGION or --region (and credentials) to use AWS, or paste the export"
                    + " lines that 'kinesis-aggs local' prints to use the emulators.");
        }
        if (message.contains("Unable to load credentials")) {
            return new UserError("No AWS credentials were found: configure them (aws configure, AWS_PROFILE, ...) to use AWS,"
                    + " or paste the export lines that 'kinesis-aggs local' prints to use the emulators.");
        }
        return new UserError("Cannot reach " + services + " (" + stripDot(unknownHost(e).or(() -> noAnswer(e)).orElse(message))
                + "): check the endpoint variables"
                + " (AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_DYNAMODB) or --endpoint-url, or AWS_REGION and your credentials.");
    }

    /**
     * A name that does not resolve, said with the name: the SDK's own message says only to "see cause", which a user
     * never sees (found by probing: with no network, or a service whose endpoint variable was not set).
     */
    private static Optional<String> unknownHost(SdkClientException e) {
        for (Throwable t : causes(e)) {
            if (t instanceof java.net.UnknownHostException unknown) {
                return Optional.of("the host name does not resolve: " + unknown.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The throwable and its causes, outermost first; a cycle of causes ends the list. */
    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** A call that ran out of its time ({@code apiCallTimeout}), said in seconds rather than the SDK's "millis". */
    private static Optional<String> noAnswer(SdkClientException e) {
        if (!(e instanceof ApiCallTimeoutException)) {
            return Optional.empty();
        }
        Matcher millis = MILLIS.matcher(String.valueOf(e.getMessage()));
        return Optional.of(millis.find() ? "no answer within " + Long.parseLong(millis.group(1)) / 1000 + " s" : "no answer in time");
    }

    private static final Pattern MILLIS = Pattern.compile("(\\d+) millis");

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
