#!/usr/bin/env bash
# Makes the class-data archive bin/kopeck starts the command line with: a static archive (-Xshare:dump) of
# the classes that training runs load (a one-line `kopeck count`, with a tokenizer and with a model, and
# `kopeck --help`, which reads every command): Java's own, Kopeck's, Jackson's and picocli's. A static archive holds picocli's classes, which
# are of Java 5's class-file version; the dynamic one made before (-XX:ArchiveClassesAtExit) could not, and
# they were read from the jar and verified at every start (docs/benchmarks.md, "Start-up", issue 33).
#   build/cds-archive.sh JAR ARCHIVE [JAVA]
# An archive belongs to one jar and one Java (JAVA, by default the one on the PATH; the build passes
# the one Maven runs on): a rebuilt jar needs a new one (the build makes it), another Java ignores it.
set -euo pipefail
jar="$1"
out="$2"
java="${3:-java}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "How many tokens is this line?" > "$tmp/line.txt"
rm -f "$out"
"$java" -XX:DumpLoadedClassList="$tmp/count.classlist" -jar "$jar" count --tokenizer o200k_base "$tmp/line.txt" \
  > /dev/null
"$java" -XX:DumpLoadedClassList="$tmp/model.classlist" -jar "$jar" count --model gpt-4o "$tmp/line.txt" > /dev/null
"$java" -XX:DumpLoadedClassList="$tmp/help.classlist" -jar "$jar" --help > /dev/null
# One list, each line once. The lambdas whose interface is picocli's are left out: making them at dump time
# links that Java 5 interface, and the archive then holds neither it nor any class that implements it (the
# built-in converters); they are made at run time, as without an archive.
cat "$tmp/count.classlist" "$tmp/model.classlist" "$tmp/help.classlist" | grep -v '^#' | grep -v '^@lambda-proxy .*Lpicocli/' \
  | awk '!seen[$0]++' > "$tmp/classlist"
"$java" -Xshare:dump -XX:SharedClassListFile="$tmp/classlist" -XX:SharedArchiveFile="$out" -Xlog:cds=off \
  -Xlog:cds+dynamic=off -cp "$jar" > "$tmp/dump.log" 2>&1 || { cat "$tmp/dump.log" >&2; exit 1; }
