/**
 * A reader of GGUF headers (versions 2 and 3, little-endian) that never reads tensor data:
 * {@link io.github.llmestimator.gguf.GgufFile} holds the metadata and tensor table, and
 * {@link io.github.llmestimator.gguf.GgufModel} turns them into exact per-tensor weights and, for the architectures it
 * knows, the {@link io.github.llmestimator.model.ModelSpec} the rest of the library estimates with.
 *
 * <p>Input may come from anyone: every malformed header ends in a
 * {@link io.github.llmestimator.gguf.GgufFormatException} that names the byte offset and the problem, and no count read
 * from the input allocates memory or skips bytes before it is checked against the bytes left and a stated limit
 * ({@link io.github.llmestimator.gguf.GgufFile#MAX_HEADER_BYTES}).
 *
 * <p>Offsets count bytes from the start of the GGUF data; sizes are bytes ({@code long}). No method accepts or returns
 * null.
 */
package io.github.llmestimator.gguf;
