package dev.kopeck.pricing.usage;

import dev.kopeck.base.Modality;
/** Token counts by modality; none negative. */
public record Modalities(long text, long image, long audio, long video, long document) {
  public static final Modalities NONE = new Modalities(0, 0, 0, 0, 0);

  public Modalities {
    if (text < 0 || image < 0 || audio < 0 || video < 0 || document < 0) {
      throw new IllegalArgumentException("negative modality count in " + text + "/" + image + "/" + audio + "/" + video + "/" + document);
    }
  }

  /** All of them text. */
  public static Modalities text(long tokens) {
    return new Modalities(tokens, 0, 0, 0, 0);
  }

  public long get(Modality m) {
    switch (m) {
      case TEXT:
        return text;
      case IMAGE:
        return image;
      case AUDIO:
        return audio;
      case VIDEO:
        return video;
      default:
        return document;
    }
  }

  public long total() {
    return Math.addExact(Math.addExact(Math.addExact(Math.addExact(text, image), audio), video), document);
  }

  /** The sum of everything but text. */
  public long nonText() {
    return Math.addExact(Math.addExact(Math.addExact(image, audio), video), document);
  }

  public Modalities plus(Modalities o) {
    return new Modalities(Math.addExact(text, o.text), Math.addExact(image, o.image), Math.addExact(audio, o.audio),
        Math.addExact(video, o.video), Math.addExact(document, o.document));
  }

  public Modalities with(Modality m, long v) {
    return new Modalities(m == Modality.TEXT ? v : text, m == Modality.IMAGE ? v : image,
        m == Modality.AUDIO ? v : audio, m == Modality.VIDEO ? v : video, m == Modality.DOCUMENT ? v : document);
  }
}
