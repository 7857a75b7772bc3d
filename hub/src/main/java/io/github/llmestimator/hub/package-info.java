/**
 * Remote model files read by their headers: {@link io.github.llmestimator.hub.Hub} lists a Hugging Face repository,
 * reads a GGUF header over HTTP range requests (growing the range until the tensor table is complete), sums
 * safetensors headers, and resolves Ollama names through the registry's manifests.
 *
 * <p>Every remote read is bounded: a connect timeout, a timeout per read, an overall timeout, a cap on the bytes read
 * for each header, a redirect limit and a few retries with backoff on 429 and 5xx answers only. A failure is a
 * {@link io.github.llmestimator.hub.HubException} that names the URL, never the token.
 */
package io.github.llmestimator.hub;
