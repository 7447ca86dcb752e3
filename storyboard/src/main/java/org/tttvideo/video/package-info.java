/**
 * The records a generation produces for its users: {@link org.tttvideo.video.VideoReady} and {@link
 * org.tttvideo.video.VideoFailed} on the {@code videos} topic, {@link
 * org.tttvideo.video.VideoProgress} on {@code video-progress}. Pure values; their JSON codecs and
 * Kafka serializers live with the storyboard codecs and in {@code connectors/}.
 */
package org.tttvideo.video;
