package dev.kinesisaggs.esm.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * A Java Lambda function as it is deployed: its deployment package (the .jar or .zip a template's
 * {@code CodeUri} names), its handler, memory size and environment variables. The event source
 * mapping runs it in {@link ExecutionEnvironments}, under AWS's runtime interface client, as Lambda
 * runs it; the function timeout and ARN are the mapping's ({@code functionTimeout}, {@code functionArn}).
 */
public final class PackagedFunction {

    /** Lambda's default memory size, in MB. */
    public static final int DEFAULT_MEMORY_MB = 128;
    /** Lambda's limit on the function's own environment variables: 4 KB in all, names and values. */
    public static final int MAX_ENVIRONMENT_BYTES = 4096;
    /** The variables Lambda sets itself; a function may not set them ("Defined runtime environment variables"). */
    public static final Set<String> RESERVED_VARIABLES = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR", "TZ");

    private final Path artifact;
    private final String handler;
    private final Optional<String> functionName;
    private final int memorySizeMb;
    private final Map<String, String> environment;
    private final Optional<String> region;
    private final AwsCredentialsProvider credentials;
    private final Path javaHome;
    private final boolean snapStart;
    private final Optional<Path> cpuCgroup;
    private final FunctionLog log;
    private final Consumer<InvocationReport> reports;

    private PackagedFunction(Builder b) {
        this.artifact = Objects.requireNonNull(b.artifact, "artifact");
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.functionName = Optional.ofNullable(b.functionName);
        this.memorySizeMb = new LambdaJvmFlags(b.memorySizeMb).memoryMb();
        this.environment = Map.copyOf(b.environment);
        this.region = Optional.ofNullable(b.region);
        this.credentials = b.credentials;
        this.javaHome = b.javaHome;
        this.snapStart = b.snapStart;
        this.cpuCgroup = Optional.ofNullable(b.cpuCgroup);
        this.log = b.log;
        this.reports = b.reports;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path artifact() { return artifact; }
    public String handler() { return handler; }
    public Optional<String> functionName() { return functionName; }
    public int memorySizeMb() { return memorySizeMb; }
    public Map<String, String> environment() { return environment; }
    public Optional<String> region() { return region; }
    public AwsCredentialsProvider credentials() { return credentials; }
    public Path javaHome() { return javaHome; }
    public boolean snapStart() { return snapStart; }
    public Optional<Path> cpuCgroup() { return cpuCgroup; }
    public FunctionLog log() { return log; }
    public Consumer<InvocationReport> reports() { return reports; }

    /**
     * Refuses, in one sentence, the function's own environment variables that Lambda would refuse: a name Lambda sets
     * itself, a name it does not accept, more than its 4 KB in all.
     */
    public static void checkEnvironment(Map<String, String> environment) {
        int bytes = 0;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (RESERVED_VARIABLES.contains(e.getKey())) {
                throw new IllegalArgumentException(e.getKey() + " is set by Lambda itself: a function cannot set it; remove it.");
            }
            if (!e.getKey().matches("[a-zA-Z][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not a name Lambda accepts for an environment variable:"
                        + " letters, digits and underscores, starting with a letter.");
            }
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_ENVIRONMENT_BYTES) {
            throw new IllegalArgumentException("The function's environment variables take " + bytes + " bytes, over Lambda's limit of "
                    + MAX_ENVIRONMENT_BYTES + ": shorten them.");
        }
    }

    public static final class Builder {
        private Path artifact;
        private String handler;
        private String functionName;
        private int memorySizeMb = DEFAULT_MEMORY_MB;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String region;
        private AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private boolean snapStart;
        private Path cpuCgroup;
        private FunctionLog log = FunctionLog.to(System.out);
        private Consumer<InvocationReport> reports = r -> { };

        private Builder() {
        }

        /** The deployment package: a .jar or .zip (or a directory laid out as {@code /var/task}). */
        public Builder artifact(Path v) { artifact = v; return this; }
        /** {@code package.Class::method}, or {@code package.Class} for a handler interface's method, as in Lambda's {@code Handler}. */
        public Builder handler(String v) { handler = v; return this; }
        /** Default: the last part of the mapping's function ARN. */
        public Builder functionName(String v) { functionName = v; return this; }
        /** 128 to 10,240 MB; the JVM is sized from it as Lambda's Java runtime sizes it ({@link LambdaJvmFlags}). */
        public Builder memorySizeMb(int v) { memorySizeMb = v; return this; }
        /** One of the function's own environment variables (not one of {@link #RESERVED_VARIABLES}). */
        public Builder environmentVariable(String name, String value) { environment.put(name, value); return this; }
        public Builder environment(Map<String, String> v) { environment.putAll(v); return this; }
        /** Default: the mapping's region. */
        public Builder region(String v) { region = v; return this; }
        /** The credentials handed to the function, as Lambda hands it its role's; default: the SDK's default chain here. */
        public Builder credentials(AwsCredentialsProvider v) { credentials = v; return this; }
        /** The JDK that runs the environments; default: the one running this program (Lambda's java21 runs Java 21). */
        public Builder javaHome(Path v) { javaHome = v; return this; }
        /** Initialise as SnapStart does: the runtime runs the CRaC hooks ({@code beforeCheckpoint}, then {@code afterRestore}). */
        public Builder snapStart(boolean v) { snapStart = v; return this; }
        /**
         * A cgroup v1 {@code cpu} directory this user may create groups in: each environment then gets Lambda's CPU
         * share for its memory size ({@code cpu.cfs_quota_us}); without it, environments use whatever the machine has.
         */
        public Builder cpuCgroup(Path v) { cpuCgroup = v; return this; }
        public Builder log(FunctionLog v) { log = v; return this; }
        /** Called with each invocation's report (what the {@code REPORT} line says). */
        public Builder reports(Consumer<InvocationReport> v) { reports = v; return this; }

        public PackagedFunction build() {
            if (handler == null || handler.isBlank()) {
                throw new IllegalArgumentException("A handler is needed, as Lambda's Handler names it: package.Class::method.");
            }
            checkEnvironment(environment);
            return new PackagedFunction(this);
        }
    }
}
