#!/usr/bin/env bash
# docs/design/api-size.sh [ROOT] (after mvn package): per exported package: public types, and public/protected members (javap -public), leaving out what
# the compiler writes by itself (records' equals/hashCode/toString, enums' values/valueOf, bridge methods)
root="${1:-.}"
for mi in $(find "$root" -path '*/src/main/java/module-info.java' -not -path '*/target/*' | sort); do
  mod=$(dirname $(dirname $(dirname $(dirname "$mi"))))
  for pkg in $(grep -E '^\s*exports [a-z.]+;' "$mi" | sed -E 's/.*exports ([a-z.]+);/\1/'); do
    dir="$mod/target/classes/$(echo $pkg | tr . /)"
    classes=$(ls $dir/*.class 2>/dev/null | grep -v 'package-info\|module-info')
    [ -z "$classes" ] && continue
    # a nested type counts only when every type around it is public too (a record nested in a package-private
    # interface is public to javap but reachable by no one)
    public=$(javap -public -cp "$mod/target/classes" $(for c in $classes; do echo $pkg.$(basename $c .class); done) 2>/dev/null \
      | grep -E '^public .*(class|interface|enum|record) ' | sed -E 's/^public ([a-z ]+ )?(class|interface|enum|record) ([A-Za-z0-9_.$]+).*/\3/')
    reachable=$(for t in $public; do outer=${t%\$*}; ok=1; while [ "$outer" != "$t" ]; do echo "$public" | grep -qx "$outer" || ok=0; t2=$outer; outer=${t2%\$*}; [ "$outer" = "$t2" ] && break; done; [ $ok = 1 ] && echo $t; done)
    out=$(javap -public -cp "$mod/target/classes" $reachable 2>/dev/null)
    types=$(echo "$out" | grep -E '^public .*(class|interface|enum|record) ')
    members=$(echo "$out" | grep -E '^  ' | grep -v -e 'toString()' -e 'hashCode()' -e 'equals(java.lang.Object)' -e ' values()' -e 'valueOf(java.lang.String)' -e 'compareTo(java.lang.Object)' | wc -l)
    names=$(echo "$types" | sed -E 's/^public ([a-z ]+ )?(class|interface|enum|record) ([A-Za-z0-9_.$]+).*/\3/' | sed "s/^$pkg\.//" | sort | tr '\n' ' ')
    echo -e "$(basename $mod)\t$pkg\t$(echo "$types" | grep -c .)\t$members\t$names"
  done
done
