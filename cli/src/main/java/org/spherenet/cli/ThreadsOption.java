package org.spherenet.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import picocli.CommandLine.Option;

/**
 * {@code --threads N}, shared by the commands that compute: PyTorch's intra-op threads. Not part of
 * a run's recipe (a run may be resumed with another count), though sums may then differ in their
 * last bits. One thread per process suits small networks: on 2 cores, two one-thread processes
 * train twice as many width-0.125 steps as one two-thread process (docs/PERFORMANCE.md, "Threads").
 */
final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch's intra-op threads (default: the engine's choice, one per core).")
    Integer threads;

    /**
     * Applies the choice, if one was made, for the rest of this process.
     *
     * @throws IllegalArgumentException unless N >= 1
     */
    void apply() {
        if (threads == null) {
            return;
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        // the engine reads the property when it starts; an engine already started takes the call
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        Engine.getInstance();
        JniUtils.setNumThreads(threads);
    }
}
