package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

  @Test
  void splitsOnTerminatorsFollowedBySpaceAndANewSentence() {
    assertThat(SentenceSplitter.split("A cat sits. A dog barks! Who is there? Nobody."))
        .containsExactly("A cat sits.", "A dog barks!", "Who is there?", "Nobody.");
  }

  @Test
  void keepsTitlesAndInitialsInsideTheSentence() {
    assertThat(
            SentenceSplitter.split(
                "Mr. Lee and Dr. Ito meet J. R. Smith at St. Mary's. They talk."))
        .containsExactly("Mr. Lee and Dr. Ito meet J. R. Smith at St. Mary's.", "They talk.");
  }

  @Test
  void abbreviationsWithInnerDotsSplitOnlyBeforeACapital() {
    assertThat(SentenceSplitter.split("Fruit, e.g. apples, etc. are sold. The U.S. flag waves."))
        .containsExactly("Fruit, e.g. apples, etc. are sold.", "The U.S. flag waves.");
    assertThat(SentenceSplitter.split("He moved to the U.S. Then he left."))
        .containsExactly("He moved to the U.S.", "Then he left.");
  }

  @Test
  void numbersAndDecimalsAreNotBoundaries() {
    assertThat(SentenceSplitter.split("It costs 3.50 euros at 7.30 p.m. on the dot. Then rain."))
        .containsExactly("It costs 3.50 euros at 7.30 p.m. on the dot.", "Then rain.");
  }

  @Test
  void ellipsesEndASentenceOnlyBeforeACapital() {
    assertThat(SentenceSplitter.split("He waited... and waited. Then… Silence… nothing."))
        .containsExactly("He waited... and waited.", "Then…", "Silence… nothing.");
  }

  @Test
  void closingQuotesStayWithTheirSentence() {
    assertThat(SentenceSplitter.split("\"Stop!\" he yells. \"Why?\" She laughs. (It rains.) Fine."))
        .containsExactly("\"Stop!\" he yells.", "\"Why?\"", "She laughs.", "(It rains.)", "Fine.");
    assertThat(SentenceSplitter.split("She said “Go.” Then she left."))
        .containsExactly("She said “Go.”", "Then she left.");
  }

  @Test
  void repeatedTerminatorsAndOpeningQuotes() {
    assertThat(SentenceSplitter.split("Really?! \"Yes,\" said Tom. 'No.' Two cats run."))
        .containsExactly("Really?!", "\"Yes,\" said Tom.", "'No.'", "Two cats run.");
    assertThat(SentenceSplitter.split("See fig. 3 and No. 5 here. 4 dogs follow."))
        .containsExactly("See fig. 3 and No. 5 here.", "4 dogs follow.");
  }

  @Test
  void cjkTerminatorsNeedNoSpace() {
    assertThat(SentenceSplitter.split("猫が座る。犬が吠える！")).containsExactly("猫が座る。", "犬が吠える！");
  }

  @Test
  void whiteSpaceIsNormalisedAndEmptyInputGivesNothing() {
    assertThat(SentenceSplitter.split("  A   cat\n sits.\n\nA dog.  "))
        .containsExactly("A cat sits.", "A dog.");
    assertThat(SentenceSplitter.split(" \n ")).isEmpty();
    assertThat(SentenceSplitter.split("no terminator at all"))
        .containsExactly("no terminator at all");
  }
}
