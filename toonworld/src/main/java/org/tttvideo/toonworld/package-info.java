/**
 * ToonWorld: a procedural cartoon world that makes (storyboard, video) pairs with ground truth.
 *
 * <p>The spec: {@link org.tttvideo.toonworld.WorldSpec} of {@link
 * org.tttvideo.toonworld.SceneSpec}s (room, wall colour, character colours) of {@link
 * org.tttvideo.toonworld.SegmentSpec}s (camera, one {@link org.tttvideo.toonworld.Action} per
 * character), as JSON through {@link org.tttvideo.toonworld.WorldSpecJson}. From a spec and a seed:
 * {@link org.tttvideo.toonworld.Choreography} places everyone per frame in the room's {@link
 * org.tttvideo.toonworld.Layout}, {@link org.tttvideo.toonworld.Renderer} draws the frames (and
 * measures the per-frame {@link org.tttvideo.toonworld.FrameTruth}), {@link
 * org.tttvideo.toonworld.StoryboardWriter} writes Formats 3, 2 and 1. {@link
 * org.tttvideo.toonworld.WorldSampler} draws random specs for the training and held-out splits;
 * {@code dataset} writes them as numpy shards.
 *
 * <pre>{@code
 * WorldSpec w = WorldSampler.sample(Split.TRAIN, 17, 21);   // 63 seconds
 * Clip clip = Renderer.render(w, 17);                       // [504, 128, 192, 3] RGB24
 * WorldStoryboard text = StoryboardWriter.write(w, 17);
 * }</pre>
 */
package org.tttvideo.toonworld;
