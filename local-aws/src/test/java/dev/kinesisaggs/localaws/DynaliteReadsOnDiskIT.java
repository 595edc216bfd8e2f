package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * dynalite with its data on disk closes the LevelDB iterator of each read (the guard script gives abstract-level's
 * iterators the return() that dynalite calls). An iterator left open pins the table files of its time, so that
 * LevelDB cannot delete what compaction replaced: before the fix, 24 MB written with reads in between left 14 table
 * files where 2 were live, and a long demo's dynalite grew in memory and on disk with every read.
 */
class DynaliteReadsOnDiskIT {
    private static final Pattern LIVE_FILES = Pattern.compile("compacted to: files\\[ ([\\d ]+) ]");
    private static final String PADDING = "x".repeat(4_000);

    @Test
    void compactionDeletesTheTableFilesItReplacedWhileReadsGoOn(@TempDir Path data) throws Exception {
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data))) {
            DynamoDbClient dynamo = aws.dynamoDb();
            LocalAwsIT.createTable(dynamo, "items");
            // 24 MB in all: several of LevelDB's 4 MB write buffers, flushed and compacted while reads are open
            for (int batch = 0; batch < 240; batch++) {
                List<WriteRequest> puts = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    Map<String, AttributeValue> item = Map.of("id", AttributeValue.fromS(batch + "-" + i),
                            "padding", AttributeValue.fromS(PADDING));
                    puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                }
                dynamo.batchWriteItem(b -> b.requestItems(Map.of("items", puts)));
                dynamo.scan(b -> b.tableName("items").limit(5));
                dynamo.query(b -> b.tableName("items").keyConditionExpression("id = :id")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("0-0"))));
            }
            Path levelDb = data.resolve("dynamodb");
            assertThat(liveTableFiles(levelDb)).as("LevelDB compacted at least once").isPositive();
            // a memtable flushed after the last compaction adds a file that the log's last count leaves out
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(tableFilesOnDisk(levelDb)).isLessThanOrEqualTo(liveTableFiles(levelDb) + 2));
        }
    }

    /** The table files of LevelDB's current version, as its log gives them after the last compaction. */
    private static int liveTableFiles(Path levelDb) throws IOException {
        Matcher m = LIVE_FILES.matcher(Files.readString(levelDb.resolve("LOG")));
        int live = 0;
        while (m.find()) {
            live = Arrays.stream(m.group(1).trim().split(" ")).mapToInt(Integer::parseInt).sum();
        }
        return live;
    }

    private static long tableFilesOnDisk(Path levelDb) throws IOException {
        try (Stream<Path> files = Files.list(levelDb)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ldb")).count();
        }
    }
}
