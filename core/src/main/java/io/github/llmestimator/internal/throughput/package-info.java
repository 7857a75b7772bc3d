/**
 * The speed model behind {@link io.github.llmestimator.throughput.DeploymentEstimate}: weights placed on a
 * deployment's devices and summed once into matmul groups, each device's caches pooled once per cache setting, the
 * roofline step model with its fitted efficiencies, and the factory through which the estimator makes an estimate
 * from these memos.
 *
 * <p>Not API: the module does not export this package, so that its classes can change shape in any release. Callers
 * reach all of it through {@link io.github.llmestimator.Estimator} and the estimate it returns.
 */
package io.github.llmestimator.internal.throughput;
