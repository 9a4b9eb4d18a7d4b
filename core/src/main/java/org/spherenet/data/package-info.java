/**
 * Image classification datasets for DJL training: readers, augmentation, finding and downloading
 * the data.
 *
 * <ul>
 *   <li>Readers, all {@link ai.djl.training.dataset.RandomAccessDataset}s built like DJL's own
 *       datasets, giving float32 (C, H, W) images and scalar float32 labels: {@link
 *       org.spherenet.data.IdxDataset} (Fashion-MNIST, MNIST, KMNIST), {@link
 *       org.spherenet.data.Cifar10Dataset}, {@link org.spherenet.data.Cifar100Dataset}, {@link
 *       org.spherenet.data.ImageFolderDataset}. Common options live in {@link
 *       org.spherenet.data.ImageDataset.ImageBuilder}: usage, augmentation, normalisation, seed,
 *       fraction.
 *   <li>Augmentation: {@link org.spherenet.data.Augmentation}, {@link
 *       org.spherenet.data.HorizontalFlip}, {@link org.spherenet.data.PadCrop}, {@link
 *       org.spherenet.data.Augmentations}; reproducible from (seed, epoch, index) via {@link
 *       org.spherenet.data.Seeds}.
 *   <li>Data: {@link org.spherenet.data.DataLocator} finds or downloads a {@link
 *       org.spherenet.data.DataSource} (the known ones in {@link org.spherenet.data.DataSources})
 *       and verifies it with {@link org.spherenet.data.Checksums}.
 *   <li>Errors: every bad file or folder is a {@link org.spherenet.data.DataException} with a
 *       one-line message {@code <file>: <reason>}.
 * </ul>
 */
package org.spherenet.data;
