package org.spherenet.data;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.DataIterable;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Pipeline;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * DJL's {@link DataIterable} (same prefetching on an executor), but a batch is written straight
 * into one float array of shape (B, C, H, W) instead of B small arrays stacked by a batchifier,
 * which saves B native allocations and a copy per batch. With a {@code Pipeline} set, it falls
 * back to DJL's per-record path so the transforms see (C, H, W) records as DJL documents.
 */
final class ImageBatchIterable extends DataIterable {

    ImageBatchIterable(
            ImageDataset dataset,
            NDManager manager,
            Sampler sampler,
            Batchifier dataBatchifier,
            Batchifier labelBatchifier,
            Pipeline pipeline,
            Pipeline targetPipeline,
            ExecutorService executor,
            int prefetchNumber,
            Device device) {
        super(
                dataset,
                manager,
                sampler,
                dataBatchifier,
                labelBatchifier,
                pipeline,
                targetPipeline,
                executor,
                prefetchNumber,
                device);
    }

    @Override
    protected Batch fetch(List<Long> indices, int progress) throws IOException {
        if (pipeline != null) {
            return super.fetch(indices, progress);
        }
        ImageDataset images = (ImageDataset) dataset;
        int epoch = images.getEpoch();
        int n = indices.size();
        float[] labels = new float[n];
        float[] data = null;
        Shape shape = null;
        ByteImage first = null;
        for (int i = 0; i < n; i++) {
            long index = indices.get(i);
            ByteImage image = images.sample(index, epoch);
            if (first == null) {
                first = image;
                data = new float[Math.multiplyExact(n, image.size())];
                shape = new Shape(n, image.channels(), image.height(), image.width());
            } else if (image.channels() != first.channels()
                    || image.height() != first.height()
                    || image.width() != first.width()) {
                throw new IllegalStateException(
                        "sample "
                                + index
                                + " has shape "
                                + new Shape(image.channels(), image.height(), image.width())
                                + ", the batch "
                                + shape.slice(1));
            }
            images.getNormalization().write(image, data, i * first.size());
            labels[i] = images.label(index);
        }
        NDManager batchManager = manager.newSubManager();
        NDList batchData = new NDList(batchManager.create(data, shape));
        NDList batchLabels = new NDList(batchManager.create(labels));
        if (targetPipeline != null) {
            batchLabels = targetPipeline.transform(batchLabels);
        }
        if (device != null) {
            batchData = batchData.toDevice(device, false);
            batchLabels = batchLabels.toDevice(device, false);
        }
        return new Batch(
                batchManager,
                batchData,
                batchLabels,
                n,
                dataBatchifier,
                labelBatchifier,
                progress,
                dataset.size(),
                indices);
    }
}
