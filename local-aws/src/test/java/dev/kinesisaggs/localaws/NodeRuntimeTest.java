package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeRuntimeTest {

    @Test
    void node20OrNewerWithNpmIsUsable() {
        assertThat(NodeRuntime.interpret("v20.20.2", true, "11.19.1"))
                .isEqualTo(new NodeCheck.Found(20, "v20.20.2", "11.19.1"));
        assertThat(NodeRuntime.interpret("v24.1.0", false, null)).isEqualTo(new NodeCheck.Found(24, "v24.1.0", null));
    }

    @Test
    void missingNodeSaysWhatToInstall() {
        assertThat(NodeRuntime.interpret(null, true, null)).isInstanceOfSatisfying(NodeCheck.Unusable.class, unusable ->
                assertThat(unusable.message()).startsWith("Node.js was not found: install Node.js 20 or newer")
                        .endsWith("are on the PATH."));
    }

    @Test
    void anOldNodeIsNamed() {
        assertThat(NodeRuntime.interpret("v18.19.0", true, "10.2.3")).isInstanceOfSatisfying(NodeCheck.Unusable.class,
                unusable -> assertThat(unusable.message()).startsWith("Node.js v18.19.0 is too old for the emulators:"));
    }

    @Test
    void missingNpmMattersOnlyWhenInstalling() {
        assertThat(NodeRuntime.interpret("v20.20.2", true, null)).isInstanceOfSatisfying(NodeCheck.Unusable.class,
                unusable -> assertThat(unusable.message()).startsWith("npm was not found beside Node.js v20.20.2:"));
        assertThat(NodeRuntime.interpret("v20.20.2", false, null)).isInstanceOf(NodeCheck.Found.class);
    }

    @Test
    void garbageFromNodeIsNotAVersion() {
        assertThat(NodeRuntime.interpret("command not found", true, "1.0.0")).isInstanceOf(NodeCheck.Unusable.class);
    }
}
