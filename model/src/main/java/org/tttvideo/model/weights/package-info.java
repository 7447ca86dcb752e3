/**
 * Reading and writing the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format.
 *
 * <p>A file is an 8-byte little-endian unsigned header length {@code N}, then {@code N} bytes of
 * UTF-8 JSON (possibly padded with trailing spaces), then the data section. The JSON object maps
 * each tensor name to {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}}, with
 * offsets relative to the start of the data section, plus an optional {@code "__metadata__"} object
 * of string to string. Tensor data is little-endian and row-major.
 *
 * <p>{@link org.tttvideo.model.weights.SafetensorsFile} validates the header as strictly as the
 * Rust reference library (the tensors must tile the data section exactly) and memory-maps tensor
 * data on demand; {@link org.tttvideo.model.weights.SafetensorsWriter} writes files atomically.
 */
package org.tttvideo.model.weights;
