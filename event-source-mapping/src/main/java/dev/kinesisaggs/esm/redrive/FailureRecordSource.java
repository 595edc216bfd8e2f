package dev.kinesisaggs.esm.redrive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Where on-failure records are read from: the JSON-lines file, the SQS queue or the S3 bucket a mapping's destination
 * wrote them to. Each comes with what to do once it is redriven: nothing for a file or an S3 object (which are left as
 * they are), deleting the message from a queue (so a second redrive does not see it again; one that fails stays in the
 * queue).
 */
public interface FailureRecordSource {

    /**
     * A record read, or a line that is not one (with the reason); {@code redriven} acknowledges it, {@code released}
     * hands it back untouched (a queue's message visible again at once, not after its visibility timeout).
     */
    record Pending(String origin, FailureRecord record, String unreadable, Runnable redriven, Runnable released) {
    }

    List<Pending> read();

    /**
     * Every line of the file that is not blank. Each line is decoded alone, so that one that is not UTF-8 (a line
     * damaged, or written by something else) is named and skipped as a line that is not JSON is, not the whole file.
     */
    static FailureRecordSource file(Path file) {
        return () -> {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Pending> pending = new ArrayList<>();
            int number = 0;
            int start = 0;
            while (start < bytes.length) {
                // the line ends at \n, \r\n or \r, as Files.readAllLines has it; no UTF-8 character holds those bytes
                int end = start;
                while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                    end++;
                }
                number++;
                String origin = file.getFileName() + " line " + number;
                try {
                    String line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
                    if (!line.isBlank()) {
                        pending.add(pending(origin, line, () -> { }, () -> { }));
                    }
                } catch (CharacterCodingException e) {
                    pending.add(new Pending(origin, null, "it is not UTF-8 text", () -> { }, () -> { }));
                }
                start = end < bytes.length && bytes[end] == '\r' && end + 1 < bytes.length && bytes[end + 1] == '\n' ? end + 2 : end + 1;
            }
            return pending;
        };
    }

    /**
     * Every message of the queue: received ten at a time until the queue answers none, each kept invisible to others
     * for {@code visibilitySeconds} while it is redriven, then deleted.
     */
    static FailureRecordSource queue(SqsClient sqs, String queueUrl, int visibilitySeconds) {
        return () -> {
            List<Pending> pending = new ArrayList<>();
            while (true) {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .visibilityTimeout(visibilitySeconds).waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) {
                    return pending;
                }
                for (Message m : messages) {
                    pending.add(pending("message " + m.messageId(), m.body(),
                            () -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())),
                            () -> sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                                    .visibilityTimeout(0))));
                }
            }
        };
    }

    /**
     * Every object of the bucket under {@code prefix} (an S3 destination writes under {@code aws/lambda/<ESM-UUID>/}),
     * in key order, which is time order within a shard; the objects are left in place. Their {@code payload} is not
     * needed: the windows are read again from the stream.
     */
    static FailureRecordSource bucket(S3Client s3, String bucket, String prefix) {
        return () -> {
            List<Pending> pending = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                String json = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String();
                pending.add(pending("s3://" + bucket + "/" + o.key(), json, () -> { }, () -> { }));
            }
            return pending;
        };
    }

    private static Pending pending(String origin, String json, Runnable redriven, Runnable released) {
        try {
            return new Pending(origin, FailureRecord.parse(json), null, redriven, released);
        } catch (IllegalArgumentException e) {
            return new Pending(origin, null, e.getMessage(), () -> { }, released);
        }
    }
}
