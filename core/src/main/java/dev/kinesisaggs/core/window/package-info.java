/**
 * The per-shard tumbling-window state that the Lambda consumer carries from one invocation to the next:
 * per-vendor sums ({@link dev.kinesisaggs.core.window.WindowTotals}), the fold that builds them
 * ({@link dev.kinesisaggs.core.window.WindowAccumulator}), the id of a shard's part of a window for the
 * idempotent aggregate write ({@link dev.kinesisaggs.core.window.WindowPartId}), and the
 * {@code Map<String,String>} form Lambda carries ({@link dev.kinesisaggs.core.window.WindowState}).
 */
package dev.kinesisaggs.core.window;
