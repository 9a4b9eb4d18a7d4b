package org.spherenet.train;

import java.util.List;

/**
 * What a trained network expects and answers, written as {@code model.json} beside its
 * checkpoint so that {@code eval} and {@code predict} can rebuild it without reading the training
 * data.
 *
 * @param classNames the class names, in label order
 * @param channels input channels
 * @param height input height
 * @param width input width
 */
public record ModelInfo(List<String> classNames, int channels, int height, int width) {

    public static final String FILE = "model.json";
}
