/**
 * Training shards that Python reads with numpy alone: {@link org.tttvideo.toonworld.dataset.Npy}
 * (the {@code .npy} v1.0 format), {@link org.tttvideo.toonworld.dataset.ShardWriter} ({@code
 * shard-NNNNN.npz} + {@code .jsonl}) and {@link org.tttvideo.toonworld.dataset.DatasetWriter} (both
 * splits and {@code manifest.json}). The reader is {@code tools/toonworld/read_shards.py}.
 */
package org.tttvideo.toonworld.dataset;
