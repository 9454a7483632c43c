#!/usr/bin/env bash
# Make the API baseline the API of the code as it is now (docs/design/releasing.md):
#   build/api-baseline.sh [MAVEN ARGS]    builds (mvn -B -q package -DskipTests MAVEN ARGS), then writes api/
#   build/api-baseline.sh --no-build      writes api/ from the classes already in each module's target/classes
# For every published module (one that does not set maven.deploy.skip, and not a pom): api/ARTIFACT.jar holds the
# classes of the packages its module-info exports to everyone (every class, in a module without module-info), and
# api/ARTIFACT.api their public signatures (javap -public), so that a change to the baseline reads as a diff.
# The jars carry a fixed date, so the same classes give the same bytes. The API check (japicmp in verify) compares
# each module's jar with its api/ARTIFACT.jar; run this at a release, and when the changelog has named every break.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--no-build" ]; then shift; else mvn -B -q package -DskipTests "$@"; fi

artifact() { awk '/<\/parent>/ { p = 1 } p && /<artifactId>/ { gsub(/.*<artifactId>|<\/artifactId>.*/, ""); print; exit }' "$1"; }

rm -rf api.tmp && mkdir -p api.tmp
for module in $(sed -n 's#.*<module>\(.*\)</module>.*#\1#p' pom.xml); do
  pom="$module/pom.xml"
  grep -q '<maven.deploy.skip>true</maven.deploy.skip>' "$pom" && continue
  grep -q '<packaging>pom</packaging>' "$pom" && continue
  name="$(artifact "$pom")"
  classes="$module/target/classes"
  [ -d "$classes" ] || { echo "api-baseline: no $classes: build $module first (or drop --no-build)" >&2; exit 1; }
  info="$module/src/main/java/module-info.java"
  if [ -f "$info" ]; then
    files=$(for pkg in $(sed -n -E 's/^\s*exports ([a-z0-9_.]+)\s*;.*/\1/p' "$info"); do
              dir="$(printf '%s' "$pkg" | tr . /)"
              (cd "$classes" && ls "$dir"/*.class 2>/dev/null || true)
            done | sort)
  else
    files=$(cd "$classes" && find . -name '*.class' ! -name module-info.class | sed 's#^\./##' | sort)
  fi
  if [ -z "$files" ]; then
    # a data module exports nothing: an empty API, kept as an empty jar so that a later export shows as new
    mkdir -p api.tmp/empty && jar --create --file "api.tmp/$name.jar" --date=2026-01-01T00:00:00Z -C api.tmp/empty .
    : > "api.tmp/$name.api"
  else
    # shellcheck disable=SC2086
    (cd "$classes" && jar --create --file "$root/api.tmp/$name.jar" --date=2026-01-01T00:00:00Z --no-manifest $files)
    # shellcheck disable=SC2086
    javap -public -cp "$classes" $(printf '%s\n' $files | sed 's/\.class$//' | tr / .) > "api.tmp/$name.api"
  fi
  echo "api/$name.jar: $(printf '%s\n' $files | grep -c . || true) classes"
done
rm -rf api.tmp/empty api
mv api.tmp api
