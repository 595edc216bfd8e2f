package dev.kinesisaggs.producer.source;

import java.io.IOException;

/** Opens a source from its start; called again for each lap when the source loops. */
@FunctionalInterface
public interface TripSourceOpener {

    TripSource open() throws IOException;
}
