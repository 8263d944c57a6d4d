package org.iclsam.examples;

/** A command that opens a pipeline; the command line injects the factory (fakes in tests). */
interface PipelineUser {

    /** @param factory opens the pipeline the command runs */
    void pipelines(PipelineFactory factory);
}
