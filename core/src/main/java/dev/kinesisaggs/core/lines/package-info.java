/** Reading an input line by line as bytes, so that one line that is not UTF-8 is that line's problem only. */
package dev.kinesisaggs.core.lines;
