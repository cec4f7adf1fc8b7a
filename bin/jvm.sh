# Sourced by bin/edge and bin/ctl: finds the JDK and the jar, and names an AppCDS archive for them.
# Expects $home (the distribution or checkout root) and $me (the calling script's name, for messages).

# $java: $JAVA_HOME/bin/java (default JAVA_HOME: Temurin 25), else the java on the PATH
find_java() {
  export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  java="$JAVA_HOME/bin/java"
  [ -x "$java" ] || java="$(command -v java || true)"
  if [ -z "$java" ]; then
    echo "$me: no java at $JAVA_HOME/bin/java nor on the PATH; set JAVA_HOME to a JDK 25" >&2
    exit 2
  fi
}

# $jar: $EDGE_JAR, else lib/edge-proxy.jar (the distribution), else proxy/target/edge-proxy.jar (a build)
find_jar() {
  jar="${EDGE_JAR:-}"
  if [ -z "$jar" ]; then
    for candidate in "$home/lib/edge-proxy.jar" "$home/proxy/target/edge-proxy.jar"; do
      if [ -f "$candidate" ]; then jar="$candidate"; break; fi
    done
  fi
  if [ -z "$jar" ] || [ ! -f "$jar" ]; then
    echo "$me: edge-proxy.jar not found under $home (build it with 'mvn -DskipTests package' or set EDGE_JAR)" >&2
    exit 2
  fi
  jar="$(readlink -f "$jar")"
}

# cds_flags NAME: adds to the array `flags` an AppCDS archive of the classes this program loads. The JVM writes it
# when the first run exits (-XX:+AutoCreateSharedArchive, JDK 19+) and maps it on the next starts; a rebuilt jar
# or another JDK gets a new archive instead of a mismatch. It lives next to the jar when that directory is
# writable, else under ${XDG_CACHE_HOME:-~/.cache}/edge; nothing when neither is.
cds_flags() {
  local dir tag prefix archive
  dir="$(dirname "$jar")"
  if [ ! -w "$dir" ]; then
    dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/edge"
    mkdir -p "$dir" 2>/dev/null || return 0
  fi
  # the jar's size and time, and the JDK, are in the name: a rebuilt jar gets a new archive, not a mismatch error
  tag="$(printf '%s %s %s' "$jar" "$(stat -c '%s-%Y' "$jar")" "$java" | cksum | cut -d' ' -f1)"
  prefix="$(printf '%s' "$jar" | cksum | cut -d' ' -f1)"
  archive="$dir/$1-$prefix-$tag.jsa"
  if [ ! -f "$archive" ]; then rm -f "$dir/$1-$prefix-"*.jsa 2>/dev/null || true; fi
  flags+=("-XX:SharedArchiveFile=$archive" -XX:+AutoCreateSharedArchive)
}
