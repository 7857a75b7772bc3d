/**
 * What the packages of core share and callers must not use: the module does not export this package.
 */
package io.github.llmestimator.internal;
