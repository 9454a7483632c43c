package dev.kopeck.core.estimate;

import java.math.BigDecimal;

/** Raw counts of one message or a whole request, before calibration. Mutable, package-private. */
final class Counts {
  long text;
  long image;
  long audio;
  long video;
  long document;
  long images;
  long pages;
  BigDecimal audioSeconds = BigDecimal.ZERO;
  BigDecimal videoSeconds = BigDecimal.ZERO;
  int messages;
  /** Tokens of the messages' roles and names, where the chat format counts them (OpenAI's). */
  long roles;
  /** Parts that could not be measured: left out of the counts, said in a warning. */
  int unmeasured;

  long media() {
    return image + audio + video + document;
  }

  void add(Counts o) {
    text += o.text;
    image += o.image;
    audio += o.audio;
    video += o.video;
    document += o.document;
    images += o.images;
    pages += o.pages;
    audioSeconds = audioSeconds.add(o.audioSeconds);
    videoSeconds = videoSeconds.add(o.videoSeconds);
    messages += o.messages;
    roles += o.roles;
    unmeasured += o.unmeasured;
  }

  void subtract(Counts o) {
    text -= o.text;
    image -= o.image;
    audio -= o.audio;
    video -= o.video;
    document -= o.document;
    images -= o.images;
    pages -= o.pages;
    audioSeconds = audioSeconds.subtract(o.audioSeconds);
    videoSeconds = videoSeconds.subtract(o.videoSeconds);
    messages -= o.messages;
    roles -= o.roles;
    unmeasured -= o.unmeasured;
  }
}
