/**
 * The workshop's trip CSV ({@code id,vendor_id,pickup_datetime,...}, with or without that header): a lazy reader
 * that turns each line into a clean trip or a bad row kept verbatim, so that a producer can send either.
 */
package dev.kinesisaggs.core.csv;
