# shellcheck shell=bash
# A Spark "installation" made of the project's own jars, for Spark's local-cluster master (which
# starts its workers from $SPARK_HOME/jars), sourced by the scripts beside this one after they set
# $root. Builds the Spark module when its jar is missing, makes the folder (the caller removes
# "$SPARK_HOME" on exit), and sets the environment the driver and its executors run with.
[ -f "$root/spark/target/spherenet-spark.jar" ] || (cd "$root" && mvn -q -B package -DskipTests -pl spark -am)
SPARK_HOME="$(mktemp -d)"
mkdir -p "$SPARK_HOME/jars"
touch "$SPARK_HOME/RELEASE"   # marks an installed Spark: jars are in $SPARK_HOME/jars
# spark/target/lib is the Spark module's class path, Spark included
ln -s "$root"/spark/target/lib/*.jar "$root/spark/target/spherenet-spark.jar" "$SPARK_HOME/jars/"
export SPARK_HOME SPARK_SCALA_VERSION=2.13
export JAVA_OPTS="${JAVA_OPTS:--Xmx3g} -Dspark.executor.memory=1536m"
