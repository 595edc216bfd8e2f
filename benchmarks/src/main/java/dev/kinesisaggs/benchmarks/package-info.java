/**
 * JMH benchmarks of the consumer's hot path on the real data set: base64 decode, KPL
 * deaggregation with MD5 check, trip parsing and validation, folding into the window state.
 * Run with {@code java -jar benchmarks/target/benchmarks.jar} (see the project README).
 */
package dev.kinesisaggs.benchmarks;
