package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestinationConfigTest {
    private static final String QUEUE = "arn:aws:sqs:us-east-1:123456789012:kinesis-aggs-failures";

    @Test
    void theShorthandNamesTheOnFailureDestination() {
        assertThat(DestinationConfig.onFailureDestination("OnFailure={Destination=" + QUEUE + "}")).isEqualTo(QUEUE);
        assertThat(DestinationConfig.onFailureDestination(" OnFailure = { Destination = " + QUEUE + " } ")).isEqualTo(QUEUE);
    }

    @Test
    void soDoesItsJson() {
        assertThat(DestinationConfig.onFailureDestination("{\"OnFailure\": {\"Destination\": \"" + QUEUE + "\"}}")).isEqualTo(QUEUE);
    }

    @Test
    void eitherMayBeInAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("destination.json"), "{\"OnFailure\":{\"Destination\":\"" + QUEUE + "\"}}\n");

        assertThat(DestinationConfig.onFailureDestination("file://" + file)).isEqualTo(QUEUE);
    }

    @Test
    void aKinesisMappingHasNoOnSuccessDestination() {
        assertThatThrownBy(() -> DestinationConfig.onFailureDestination("OnSuccess={Destination=" + QUEUE + "},OnFailure={Destination=" + QUEUE + "}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--destination-config: a Kinesis event source mapping has an OnFailure destination only, not OnSuccess:"
                        + " write OnFailure={Destination=arn:aws:sqs:REGION:ACCOUNT:QUEUE}");
    }

    @Test
    void anythingElseSaysHowToWriteIt() {
        assertThatThrownBy(() -> DestinationConfig.onFailureDestination(QUEUE))
                .hasMessage("--destination-config '" + QUEUE + "' is neither the AWS CLI's shorthand nor JSON:"
                        + " write OnFailure={Destination=arn:aws:sqs:REGION:ACCOUNT:QUEUE}");
        assertThatThrownBy(() -> DestinationConfig.onFailureDestination("{\"OnFailure\":{}}"))
                .hasMessage("--destination-config names no OnFailure destination: write OnFailure={Destination=arn:aws:sqs:REGION:ACCOUNT:QUEUE}");
        assertThatThrownBy(() -> DestinationConfig.onFailureDestination("{\"OnFailure\":"))
                .hasMessageStartingWith("--destination-config is not valid JSON (");
        assertThatThrownBy(() -> DestinationConfig.onFailureDestination("file://no-such-file.json"))
                .hasMessageStartingWith("--destination-config file://no-such-file.json cannot be read (");
    }

    @Test
    void aDestinationThatIsNoArnIsRefusedAsTheAwsCliWouldNotTakeIt() {
        // found by a probe: Destination=garbage wrote a file ./garbage
        assertThatThrownBy(() -> DestinationConfig.onFailureDestination("OnFailure={Destination=garbage}"))
                .hasMessage("--destination-config names 'garbage', not an ARN: write OnFailure={Destination=arn:aws:sqs:REGION:ACCOUNT:QUEUE}"
                        + " (an S3 bucket: arn:aws:s3:::BUCKET), or give a JSON-lines file with --destination FILE");
    }
}
