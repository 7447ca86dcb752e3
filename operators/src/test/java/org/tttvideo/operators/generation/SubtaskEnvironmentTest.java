package org.tttvideo.operators.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which GPU a subtask takes among the "index" properties of the external resource "gpu". */
class SubtaskEnvironmentTest {

  @Test
  void withoutAGpuTheSubtaskRunsOnTheCpu() {
    assertThat(SubtaskEnvironment.gpuIndex(List.of(), 0)).isEqualTo(-1);
    assertThat(SubtaskEnvironment.gpuIndex(List.of(), 5)).isEqualTo(-1);
  }

  @Test
  void withOneGpuEverySubtaskTakesIt() {
    assertThat(SubtaskEnvironment.gpuIndex(List.of("3"), 0)).isEqualTo(3);
    assertThat(SubtaskEnvironment.gpuIndex(List.of("3"), 7)).isEqualTo(3);
  }

  @Test
  void subtasksSpreadOverTheGpusInAscendingOrder() {
    List<String> declared = List.of(" 6", "2 ", "4"); // in any order, blanks around them
    assertThat(List.of(0, 1, 2, 3, 4))
        .map(subtask -> SubtaskEnvironment.gpuIndex(declared, subtask))
        .containsExactly(2, 4, 6, 2, 4);
  }
}
