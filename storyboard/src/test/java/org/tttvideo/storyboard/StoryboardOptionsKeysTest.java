package org.tttvideo.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tttvideo.storyboard.StoryboardOptions.Keys;

class StoryboardOptionsKeysTest {

  @Test
  void theKeysAreExactlyTheOptionsInSpecOrder() throws IllegalAccessException {
    List<String> constants = new ArrayList<>();
    for (Field f : Keys.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        constants.add((String) f.get(null));
      }
    }
    List<String> specKeys =
        StoryboardOptions.SPECS.stream().map(StoryboardOptions.Spec::key).toList();
    assertThat(constants).containsExactlyElementsOf(specKeys);
    assertThat(Keys.MAX_SEGMENTS).isEqualTo("storyboard.max-segments");
    assertThat(Keys.MAX_REJECTED_PAYLOAD_BYTES).isEqualTo("storyboard.max-rejected-payload-bytes");
  }

  @Test
  void shortNameDropsThePrefixAndRefusesOtherKeys() {
    assertThat(Keys.shortName(Keys.DEFAULT_SEED)).isEqualTo("default-seed");
    assertThatThrownBy(() -> Keys.shortName("generate.steps"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must start with storyboard., was generate.steps");
  }
}
