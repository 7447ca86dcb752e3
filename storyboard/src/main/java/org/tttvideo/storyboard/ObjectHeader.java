package org.tttvideo.storyboard;

/**
 * The fields that every format of our JSON object shares, read and checked before the format's own
 * content, so that each format reader only reads its content.
 *
 * @param videoId the id the object gives, or {@code null} to have one derived
 * @param title the title, or empty
 * @param seed the seed, or the options' default
 * @param settings the settings, or the options' defaults
 * @param negativeText the storyboard-wide negative text, or the options' default
 */
record ObjectHeader(
    String videoId, String title, long seed, GenerationSettings settings, String negativeText) {}
