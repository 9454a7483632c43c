package dev.kopeck.core.model.internal;

import dev.kopeck.base.Modality;
import dev.kopeck.tokens.media.MediaRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a model takes and how much, for models the tariff tables do not describe: its media rules,
 * input modalities, context window and output limit, from {@code dev/kopeck/core/model/model-facts.tsv}
 * (each row with its source).
 *
 * @param mediaRules the media rules' id, or null when none are known
 * @param input the modalities it takes; empty when not known
 * @param context its context window, or null when not known here
 * @param output its output limit, or null when not known here
 */
public record ModelFacts(String mediaRules, Set<Modality> input, Long context, Long output, String source) {
  public ModelFacts {
    input = input.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(input));
  }

  /** Nothing known. */
  public static final ModelFacts UNKNOWN = new ModelFacts(null, Set.of(), null, null, "not in Kopeck's model table");

  /** The facts of a model name, matched as the tokenizer table matches it. */
  public static ModelFacts of(String model) {
    String m = dev.kopeck.base.internal.Names.bareModel(model);
    for (Row r : Table.ROWS) {
      if (r.pattern.matcher(m).matches()) {
        return r.facts;
      }
    }
    return UNKNOWN;
  }

  /** The rules, when known. */
  public Optional<MediaRules> rules() {
    return mediaRules == null ? Optional.empty() : MediaRules.find(mediaRules);
  }

  private record Row(Pattern pattern, ModelFacts facts) {}

  private static final class Table {
    static final List<Row> ROWS = read();

    private static List<Row> read() {
      String res = "/dev/kopeck/core/model/model-facts.tsv";
      try (InputStream in = ModelFacts.class.getResourceAsStream(res)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + res);
        }
        List<Row> rows = new java.util.ArrayList<>();
        int line = 0;
        for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          line++;
          if (l.isBlank() || l.startsWith("#")) {
            continue;
          }
          String[] f = l.split("\t");
          if (f.length != 6 || !(f[1].equals("-") || MediaRules.find(f[1]).isPresent())) {
            throw new IllegalStateException(res + ": line " + line + ": expected pattern, known media rules or -,"
                + " modalities or -, context or -, output or -, source");
          }
          Set<Modality> input = EnumSet.noneOf(Modality.class);
          if (!f[2].equals("-")) {
            for (String x : f[2].split(",")) {
              input.add(Modality.valueOf(x.trim().toUpperCase(Locale.ROOT)));
            }
          }
          rows.add(new Row(Pattern.compile(f[0]), new ModelFacts(f[1].equals("-") ? null : f[1], input,
              f[3].equals("-") ? null : Long.valueOf(f[3]), f[4].equals("-") ? null : Long.valueOf(f[4]), f[5])));
        }
        return List.copyOf(rows);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
