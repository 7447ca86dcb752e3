package org.tttvideo.toonworld;

/**
 * One character in one frame, as {@link Choreography} places it.
 *
 * @param who the cat or the mouse
 * @param x world x of the body's centre (not rounded)
 * @param feetY the row its feet stand on ({@link Layout#GROUND} on the floor, less in the air or on
 *     furniture)
 * @param facing the side its head points to
 * @param posture how it is drawn
 * @param phase the leg cycle (walk, run) or head bob (eat), in [0, 1)
 * @param breath slow breathing in [-1, 1] (sit, sleep, stand)
 * @param behind the piece it is drawn behind (hiding), or {@code null}: drawn in front of the
 *     furniture
 */
public record Pose(
    Character who,
    double x,
    double feetY,
    Side facing,
    Posture posture,
    double phase,
    double breath,
    Furniture behind) {}
