package org.spherenet.train;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Iterator;

/** Skips the first samples of another sampler's order: a resumed run starts mid-epoch. */
final class SkippingSampler implements Sampler.SubSampler {

    private final Sampler.SubSampler order;
    private final long skip;

    SkippingSampler(Sampler.SubSampler order, long skip) {
        this.order = order;
        this.skip = skip;
    }

    @Override
    public Iterator<Long> sample(RandomAccessDataset dataset) {
        Iterator<Long> it = order.sample(dataset);
        for (long i = 0; i < skip && it.hasNext(); i++) {
            it.next();
        }
        return it;
    }
}
