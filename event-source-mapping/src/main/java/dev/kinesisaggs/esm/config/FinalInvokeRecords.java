package dev.kinesisaggs.esm.config;

/**
 * Whether the final invoke of a tumbling window carries records. AWS does not document it
 * (spec §4): by default the final invoke has an empty {@code Records} list, as the AWS
 * workshop code assumes; {@link #LAST_CHUNK} lets a handler be tested under the other reading.
 */
public enum FinalInvokeRecords {
    /** The final invoke carries no records, only the accumulated state. */
    EMPTY,
    /** The window's last batch, when a later window is already visible, is itself the final invoke. */
    LAST_CHUNK
}
