package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

    @Test
    void theCallsInFlightGrowWithTheVcpusLambdaGivesTheMemorySize() {
        // a share of one vCPU up to 1,769 MB, then one more vCPU per 1,769 MB (Lambda's most: 10,240 MB, 6 vCPUs)
        assertThat(FunctionConfig.callsInFlight(128)).isEqualTo(16);
        assertThat(FunctionConfig.callsInFlight(512)).isEqualTo(16);
        assertThat(FunctionConfig.callsInFlight(1769)).isEqualTo(16);
        assertThat(FunctionConfig.callsInFlight(1770)).isEqualTo(32);
        assertThat(FunctionConfig.callsInFlight(5307)).isEqualTo(48);
        assertThat(FunctionConfig.callsInFlight(10240)).isEqualTo(96);
    }

    @Test
    void theMemorySizeIsLambdasVariableAndOneVcpuWithoutIt() {
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "5308")).callsInFlight()).isEqualTo(64);
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")).callsInFlight()).isEqualTo(16);
        assertThat(FunctionConfig.fromEnvironment(Map.of()).callsInFlight()).isEqualTo(16);
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")).callsInFlight()).isEqualTo(16);
    }
}
