package org.tttvideo.model.compute;

/**
 * What a TTT scan returns.
 *
 * @param out {@code [B, H, L, D]}: the inner model's output for each query, after the residual and
 *     inner layer norm ({@code q + LN(f(q))})
 * @param state the hidden state after the last mini-batch: where the next piece of the sequence
 *     starts from
 */
public record TttScanResult(Tensor out, TttState state) {}
