package example.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kinesis handler that is not kinesis-aggs': packaged on its own (a .zip with {@code lib/*.jar}) by the
 * tests and run in execution environments, it prints one line per invocation saying what it received
 * (records, context, environment) and does what each record's data asks: {@code sleep:MS}, {@code throw},
 * {@code exit}, {@code oom}, {@code fail-from-here} (reported as a batch item failure), {@code answer-bytes:N} (a response
 * of about N bytes). With
 * {@code FAIL_INIT=1} its constructor throws.
 */
public final class ProbeHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private static final String[] VARIABLES = {"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION", "AWS_EXECUTION_ENV", "_HANDLER", "LAMBDA_TASK_ROOT", "TZ",
        "AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_ACCESS_KEY_ID", "PROBE_OWN"};

    /** The JVM's collectors and highest compiler tier, read once at init (not inside an invocation's time limit). */
    private static final String COLLECTORS = String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(gc -> gc.getName().replace(' ', '_')).toList());
    private static final String TIERED_STOP_AT_LEVEL = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .getVMOption("TieredStopAtLevel").getValue();
    /** The class data sharing archive the JVM was given. */
    private static final String SHARED_ARCHIVE = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .getVMOption("SharedArchiveFile").getValue();

    private int invocations;

    public ProbeHandler() {
        if ("1".equals(System.getenv("FAIL_INIT"))) {
            throw new IllegalStateException("init failed on purpose");
        }
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        invocations++;
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        StringBuilder line = new StringBuilder("probe invocation=").append(invocations)
                .append(" requestId=").append(context.getAwsRequestId())
                .append(" function=").append(context.getFunctionName())
                .append(" memory=").append(context.getMemoryLimitInMB())
                .append(" remainingMs=").append(context.getRemainingTimeInMillis())
                .append(" pid=").append(ProcessHandle.current().pid())
                .append(" maxHeapMb=").append(Runtime.getRuntime().maxMemory() / 1048576)
                .append(" workingDirectory=").append(System.getProperty("user.dir"))
                .append(" collectors=").append(COLLECTORS)
                .append(" tieredStopAtLevel=").append(TIERED_STOP_AT_LEVEL)
                .append(" sharedArchive=").append(SHARED_ARCHIVE);
        for (String v : VARIABLES) {
            line.append(' ').append(v).append('=').append(System.getenv(v));
        }
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            String data = StandardCharsets.UTF_8.decode(r.getKinesis().getData()).toString();
            line.append(" record=").append(r.getKinesis().getSequenceNumber()).append('/')
                    .append(r.getKinesis().getPartitionKey()).append('/').append(data)
                    .append('/').append(r.getEventSourceARN());
            if (!failures.isEmpty()) {
                continue;
            }
            if (data.startsWith("sleep:")) {
                sleep(Long.parseLong(data.substring("sleep:".length())));
            } else if (data.equals("throw")) {
                throw new IllegalArgumentException("asked to throw");
            } else if (data.equals("exit")) {
                System.out.println(line);
                System.exit(3);
            } else if (data.equals("oom")) {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            } else if (data.startsWith("answer-bytes:")) {
                // a response of about this size: one failure whose identifier is that long
                failures.add(new StreamsEventResponse.BatchItemFailure("9".repeat(Integer.parseInt(data.substring("answer-bytes:".length())))));
            } else if (data.equals("fail-from-here")) {
                failures.add(new StreamsEventResponse.BatchItemFailure(r.getKinesis().getSequenceNumber()));
            }
        }
        System.out.println(line);
        return new StreamsEventResponse(failures);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
