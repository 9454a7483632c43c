#!/usr/bin/env bash
# Makes the class-data archive bin/kopeck starts the command line with: the classes one `kopeck
# count` of a one-line file loads (Java's own, Kopeck's, Jackson's; picocli's classes are of Java 5's
# class-file version, which an archive cannot hold), written when that run exits.
#   build/cds-archive.sh JAR ARCHIVE [JAVA]
# An archive belongs to one jar and one Java (JAVA, by default the one on the PATH; the build passes
# the one Maven runs on): a rebuilt jar needs a new one (the build makes it), another Java ignores it.
set -euo pipefail
jar="$1"
out="$2"
java="${3:-java}"
sample="$(mktemp)"
trap 'rm -f "$sample"' EXIT
echo "How many tokens is this line?" > "$sample"
rm -f "$out"
"$java" -XX:ArchiveClassesAtExit="$out" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" count --tokenizer o200k_base \
  "$sample" > /dev/null
