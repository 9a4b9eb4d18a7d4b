#!/usr/bin/env bash
# The library from outside: builds a throwaway Maven project with the README's pom.xml, outside
# this repository, against the spherenet-core artifact `mvn verify` built, and runs the README's
# ten-line example in it (Example.java). Offline, and without touching ~/.m2: the project's
# artifacts go into a temporary local repository, laid out as `mvn install` lays them out, and the
# third-party ones come from ~/.m2 read as a file:// repository. Run by bin/test after mvn verify.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
here="$root/core/src/test/external"
m2="${SPHERENET_M2_REPOSITORY:-$HOME/.m2/repository}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/spherenet-external.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "external project: FAILED: $*" >&2; exit 1; }

version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -n 1)"
jar="$root/core/target/spherenet-core-$version.jar"
[ -f "$jar" ] || fail "$jar missing (run mvn verify first)"

# ~/.m2's own SphereNet artifacts (another checkout's), which this test must leave alone
listing() { find "$m2/org/spherenet" -type f -printf '%p %s %T@\n' 2>/dev/null | sort || true; }
m2_before="$(listing)"

# what `mvn install` puts into a local repository for spherenet-core
repo="$tmp/repository"
parent="$repo/org/spherenet/spherenet-parent/$version"
core="$repo/org/spherenet/spherenet-core/$version"
mkdir -p "$parent" "$core"
cp "$root/pom.xml" "$parent/spherenet-parent-$version.pom"
cp "$root/core/pom.xml" "$core/spherenet-core-$version.pom"
cp "$jar" "$core/spherenet-core-$version.jar"

cat >"$tmp/settings.xml" <<XML
<settings>
  <localRepository>$repo</localRepository>
  <profiles>
    <profile>
      <id>local-only</id>
      <repositories>
        <repository><id>central</id><url>file://$m2</url><snapshots><enabled>false</enabled></snapshots></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>central</id><url>file://$m2</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>local-only</activeProfile></activeProfiles>
</settings>
XML

# the user's project: the README's pom.xml and the README's ten lines in a program
project="$tmp/my-project"
mkdir -p "$project/src/main/java"
awk '/^## Using the library from another project/ { on = 1 } on && /^```xml/ { copy = 1; next }
     copy && /^```/ { exit } copy { print }' "$root/README.md" >"$project/pom.xml"
grep -q "<version>$version</version>" "$project/pom.xml" || fail "the README's pom.xml does not ask for spherenet-core $version"
example="$(awk '/^## The library in ten lines/ { on = 1 } on && /^```java/ { copy = 1; next }
     copy && /^```/ { exit } copy { print }' "$root/README.md")"
[ "$(echo "$example" | wc -l)" -ge 10 ] || fail "no Java example found in the README"
EXAMPLE="$example" awk '/\/\/ README example/ { print ENVIRON["EXAMPLE"]; next } { print }' \
  "$here/Example.java" >"$project/src/main/java/Example.java"

# the README's two commands, offline, with the settings above
cd "$project"
mvn -B -ntp -o -Daether.offline.protocols=file -s "$tmp/settings.xml" \
  -q compile dependency:build-classpath -Dmdep.outputFile=classpath.txt || fail "the project does not build"
java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error \
  -cp "target/classes:$(cat classpath.txt)" Example || fail "the README's example does not run"
[ "$(listing)" = "$m2_before" ] || fail "$m2/org/spherenet changed"
echo "external project: built against spherenet-core $version and trained"
