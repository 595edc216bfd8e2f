package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Keeps failure records in memory, for tests. */
public final class InMemoryDestination implements FailureDestination {

    private final List<ObjectNode> records = new ArrayList<>();

    @Override
    public synchronized void deliver(ObjectNode failureRecord) {
        records.add(failureRecord.deepCopy());
    }

    public synchronized List<ObjectNode> records() {
        return List.copyOf(records);
    }

    @Override
    public String describe() {
        return "memory";
    }
}
