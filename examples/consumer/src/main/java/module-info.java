/** A user's module that reads llm-estimator through its catalog module. */
module com.example.consumer {
    requires io.github.llmestimator.catalog;
}
