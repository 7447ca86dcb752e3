package org.tttvideo.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.tttvideo.video.VideoProgress;
import org.tttvideo.video.VideoProgress.Status;

class ProgressViewTest {

  private static VideoProgress p(Status s, int step, int segment, long done, double eta) {
    return new VideoProgress(
        "boat", s, s == Status.QUEUED ? 2 : 0, step, 25, segment, 3, done, 100, eta, 0);
  }

  @Test
  void barShowsStepSegmentAndEta() {
    assertThat(ProgressView.line(p(Status.GENERATING, 10, 1, 45, 72)))
        .isEqualTo("boat  [###########-------------]  45%  step 11/25  segment 2/3  ETA 1:12");
    assertThat(ProgressView.line(p(Status.DECODING, 25, 2, 99, -1)))
        .isEqualTo("boat  [########################]  99%  decoding segment 3/3");
    assertThat(ProgressView.line(p(Status.QUEUED, 0, 0, 0, -1)))
        .isEqualTo("boat  [------------------------]   0%  queued, position 2");
  }

  @Test
  void plainOutputPrintsStagesAndTenthsOnly() {
    StringWriter text = new StringWriter();
    ProgressView view = new ProgressView(new PrintWriter(text), false);

    view.update(p(Status.GENERATING, 0, 0, 1, -1));
    view.update(p(Status.GENERATING, 0, 1, 2, 30)); // same tenth: not printed
    view.update(p(Status.GENERATING, 3, 0, 12, 20));
    view.update(p(Status.DONE, 25, 2, 100, 0));
    view.note("finished boat");

    assertThat(text.toString().lines())
        .containsExactly(
            "boat  [------------------------]   1%  step 1/25  segment 1/3",
            "boat  [###---------------------]  12%  step 4/25  segment 1/3  ETA 0:20",
            "finished boat");
  }

  @Test
  void terminalOutputRedrawsInPlace() {
    StringWriter text = new StringWriter();
    ProgressView view = new ProgressView(new PrintWriter(text), true);

    view.update(p(Status.GENERATING, 0, 0, 1, -1));
    view.update(p(Status.GENERATING, 1, 0, 5, -1));

    // the second drawing first moves up over the first bar and erases it
    assertThat(text.toString()).contains("\033[1A\033[2K");
    assertThat(ProgressView.duration(3725)).isEqualTo("1:02:05");
  }
}
