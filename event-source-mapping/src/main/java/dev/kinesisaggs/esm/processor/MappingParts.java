package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.checkpoint.CheckpointStore;
import dev.kinesisaggs.esm.checkpoint.MappingIdentity;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.destination.FailureDestination;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.Invoker;
import dev.kinesisaggs.esm.invocation.ResponseInterpreter;
import dev.kinesisaggs.esm.retrieval.StreamSource;

import java.time.Clock;
import java.util.function.Supplier;

/** What every shard processor of one mapping shares. */
public record MappingParts(
        EventSourceMappingConfig config,
        StreamSource source,
        CheckpointStore checkpoints,
        FailureDestination destination,
        Invoker invoker,
        Clock clock,
        Supplier<String> requestIds,
        InvocationListener listener,
        InvocationExecutor invocations) {

    /** Whose checkpoints these are: the mapping's name, stream and function. */
    public MappingIdentity identity() {
        return new MappingIdentity(config.mappingId(), source.streamArn(), config.functionArn());
    }

    public EventJson eventJson() {
        return new EventJson(source.streamArn(), config.awsRegion(), config.invokeIdentityArn());
    }

    public ResponseInterpreter interpreter() {
        return new ResponseInterpreter(config.hasTumblingWindow(), config.reportBatchItemFailures(),
                config.unknownItemIdentifierFailsWholeBatch());
    }
}
