/**
 * The records a generation produces for its users: {@link org.tttvideo.model.video.VideoReady} and
 * {@link org.tttvideo.model.video.VideoFailed} on the {@code videos} topic, {@link
 * org.tttvideo.model.video.VideoProgress} on {@code video-progress}. Pure values; their JSON codecs
 * and Kafka serializers live with the storyboard codecs and in {@code connectors/}.
 */
package org.tttvideo.model.video;
