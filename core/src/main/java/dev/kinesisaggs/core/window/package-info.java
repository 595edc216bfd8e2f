/**
 * The per-shard tumbling-window state that the Lambda consumer carries from one invocation to the next:
 * per-vendor sums ({@link dev.kinesisaggs.core.window.WindowTotals}), the fold that builds them
 * ({@link dev.kinesisaggs.core.window.WindowAccumulator}), a window's run and its parts, which make the
 * aggregates exact under any replay ({@link dev.kinesisaggs.core.window.WindowRun},
 * {@link dev.kinesisaggs.core.window.ClosedPart}), and the {@code Map<String,String>} form Lambda carries
 * ({@link dev.kinesisaggs.core.window.WindowState}).
 */
package dev.kinesisaggs.core.window;
