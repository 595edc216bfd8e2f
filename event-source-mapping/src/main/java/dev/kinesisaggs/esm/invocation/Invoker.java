package dev.kinesisaggs.esm.invocation;

/**
 * Invokes the function once with an event, as the mapping sees it: a result, never an exception
 * for what the function did. In this process ({@link FunctionInvoker}) or in execution environments
 * under AWS's runtime client ({@code runtime.ExecutionEnvironments}).
 */
public interface Invoker {

    /**
     * @param lane who invokes: a shard (and, with ParallelizationFactor, its lane), so that an implementation
     *             with execution environments can give each its own, as Lambda gives each shard's batches one
     *             at a time to an environment
     */
    InvocationResult invoke(String lane, String eventJson);
}
