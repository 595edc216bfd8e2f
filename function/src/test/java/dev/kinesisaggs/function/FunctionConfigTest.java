package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

    @Test
    void theCallsInFlightGrowWithTheCpuLambdaGivesTheMemorySize() {
        // CPU in proportion to the memory, one vCPU at 1,769 MB (Lambda's most: 10,240 MB, 6 vCPUs); 32 per vCPU, 16 to 128
        assertThat(FunctionConfig.callsInFlight(128)).isEqualTo(16);
        assertThat(FunctionConfig.callsInFlight(512)).isEqualTo(16);
        assertThat(FunctionConfig.callsInFlight(1024)).isEqualTo(19);
        assertThat(FunctionConfig.callsInFlight(1769)).isEqualTo(32);
        assertThat(FunctionConfig.callsInFlight(1770)).isEqualTo(32);
        assertThat(FunctionConfig.callsInFlight(5307)).isEqualTo(96);
        assertThat(FunctionConfig.callsInFlight(10240)).isEqualTo(128);
    }

    @Test
    void theMemorySizeIsLambdasVariableAndOneVcpuWithoutIt() {
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3538")).callsInFlight()).isEqualTo(64);
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")).callsInFlight()).isEqualTo(16);
        assertThat(FunctionConfig.fromEnvironment(Map.of()).callsInFlight()).isEqualTo(32);
        // the trips' inserts carry 25 each: a quarter as many calls, 4 at least
        assertThat(FunctionConfig.fromEnvironment(Map.of()).insertCallsInFlight()).isEqualTo(8);
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")).insertCallsInFlight()).isEqualTo(4);
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "10240")).insertCallsInFlight()).isEqualTo(32);
        assertThat(FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")).callsInFlight()).isEqualTo(32);
    }
}
