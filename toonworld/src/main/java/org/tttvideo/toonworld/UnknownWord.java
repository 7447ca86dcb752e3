package org.tttvideo.toonworld;

/**
 * A word of a storyboard that {@link WorldVocabulary} does not know.
 *
 * @param segment the video segment whose text has it, from 0
 * @param word the word, lower case as the parser read it
 */
public record UnknownWord(int segment, String word) {}
