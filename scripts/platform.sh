#!/usr/bin/env bash
# Local Kafka platform for leadstream, without Docker: Apache Kafka 4 (KRaft, one node that is both
# broker and controller) and Apicurio Registry 3 (Confluent-compatible API at /apis/ccompat/v7, schemas
# kept in Kafka through its KafkaSQL storage, so ids survive a registry restart). Both come from Maven
# Central only, through mvn (~/.m2 caches them), into ${LEADSTREAM_PLATFORM_DIR:-<repo>/.platform}.
#
#   bash scripts/platform.sh up                        provision if needed, start, wait until ready
#   bash scripts/platform.sh down [--wipe]             stop both (--wipe also deletes their data)
#   bash scripts/platform.sh restart kafka|registry    stop and start one service
#   bash scripts/platform.sh status                    one line per service
#   bash scripts/platform.sh logs kafka|registry       tail -F the service's log
#
# Env overrides: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), REGISTRY_PORT (8081),
# LEADSTREAM_PLATFORM_DIR, KAFKA_VERSION, APICURIO_VERSION, JAVA_HOME, KAFKA_HEAP, REGISTRY_HEAP,
# KAFKA_START_TIMEOUT / REGISTRY_START_TIMEOUT (seconds).
set -euo pipefail

# Latest 4.x on Maven Central.
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
# Apicurio Registry 3.0.9 is the newest 3.x on Maven Central that runs on Java 17; 3.3.x is compiled
# for Java 21 (class file 65) and needs JAVA_HOME pointing at a Java 21+.
APICURIO_VERSION="${APICURIO_VERSION:-3.0.9}"
# 2.8 (Maven 3.8's default) on purpose: 3.x refuses apicurio-registry-app 3.0.9, whose parent pom
# is not on Maven Central; 2.8 warns and copies it.
MVN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:2.8"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"
REGISTRY_HEAP="${REGISTRY_HEAP:--Xms128m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
REGISTRY_START_TIMEOUT="${REGISTRY_START_TIMEOUT:-120}"
# The registry's KafkaSQL journal (it must keep every record: it is the registry's only storage).
REGISTRY_TOPIC="kafkasql-journal"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLATFORM_DIR="${LEADSTREAM_PLATFORM_DIR:-$REPO_ROOT/.platform}"
LIB_DIR="$PLATFORM_DIR/lib/kafka"
APICURIO_DIR="$PLATFORM_DIR/apicurio"
CONF_DIR="$PLATFORM_DIR/conf"
DATA_DIR="$PLATFORM_DIR/data"
KAFKA_DATA="$DATA_DIR/kafka"
REGISTRY_DATA="$DATA_DIR/registry"
LOG_DIR="$PLATFORM_DIR/logs"
RUN_DIR="$PLATFORM_DIR/run"
KAFKA_LOG="$LOG_DIR/kafka.log"
REGISTRY_LOG="$LOG_DIR/registry.log"
PROVISION_LOG="$LOG_DIR/provision.log"
REGISTRY_URL="http://127.0.0.1:${REGISTRY_PORT}/apis/ccompat/v7"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

die() { echo "platform: error: $*" >&2; exit 1; }
say() { echo "platform: $*"; }

# ---------------------------------------------------------------------------------------------- checks

require_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (Java 17+ is required: apt-get install openjdk-17-jre-headless, or set JAVA_HOME)"
  local major
  major="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p')"
  major="${major#1.}"; major="${major%%.*}"
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then die "Java 17+ is required, $JAVA is Java ${major:-unknown}"; fi
  JAVA_MAJOR="$major"
}

require_tools() {
  command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install curl)"
  command -v setsid >/dev/null 2>&1 || die "setsid not found (apt-get install util-linux)"
}

require_mvn() {
  command -v mvn >/dev/null 2>&1 || die "mvn not found: it fetches Kafka and the registry from Maven Central (apt-get install maven)"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Who listens on a port, for error messages.
port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*' | head -n1 | sed 's/users:((//' || true
  fi
}

ensure_port_free() { # name port
  if port_open "$2"; then
    local owner; owner="$(port_owner "$2")"
    die "port $2 ($1) is taken by another process${owner:+ ($owner)}; stop it or set the port variable (KAFKA_PORT, KAFKA_CONTROLLER_PORT, REGISTRY_PORT)"
  fi
}

# ------------------------------------------------------------------------------------------- processes

pid_file() { echo "$RUN_DIR/$1.pid"; }

# Prints the pid of a running service started from this platform dir (pid file + a command line that
# names this dir's config, so a reused pid or another checkout's platform is not taken for it).
service_pid() {
  local f pid marker
  f="$(pid_file "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null || true)"
  if [ -z "$pid" ] || [ ! -r "/proc/$pid/cmdline" ]; then return 1; fi
  case "$1" in
    kafka) marker="kafka.Kafka $CONF_DIR/server.properties" ;;
    registry) marker="-Djava.io.tmpdir=$REGISTRY_DATA/tmp " ;;
  esac
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# Keeps a log that this script appends to (the JVMs' stdout) from growing without end.
rotate_log() {
  local size
  size="$(stat -c %s "$1" 2>/dev/null || echo 0)"
  if [ "$size" -gt $((50 * 1024 * 1024)) ]; then mv -f "$1" "$1.1"; fi
}

stop_service() { # name
  local pid
  if ! pid="$(service_pid "$1")"; then rm -f "$(pid_file "$1")"; return 0; fi
  say "stopping $1 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0 limit=30
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((limit * 5)) ]; then
      say "$1 did not stop within ${limit}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2; waited=$((waited + 1))
  done
  rm -f "$(pid_file "$1")"
}

# ----------------------------------------------------------------------------------------- provision

provision_kafka() {
  local stamp="$LIB_DIR/.leadstream-version"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$KAFKA_VERSION" ]; then return 0; fi
  require_mvn
  say "fetching Apache Kafka $KAFKA_VERSION and its runtime dependencies from Maven Central"
  local tmp; tmp="$(mktemp -d)"
  # kafka_2.13 is the broker (kafka.Kafka, kafka.tools.StorageTool); kafka-tools has the command-line
  # tools (org.apache.kafka.tools.TopicCommand, ...consumer.ConsoleConsumer, ...), as in Kafka's libs/.
  cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.leadstream</groupId>
  <artifactId>platform-kafka</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
  </dependencies>
</project>
POM
  rm -rf "$LIB_DIR.tmp"
  if ! (cd "$tmp" && mvn -B "$MVN_DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime \
      -DoutputDirectory="$LIB_DIR.tmp") >"$PROVISION_LOG" 2>&1; then
    rm -rf "$tmp" "$LIB_DIR.tmp"
    die "download of org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its dependencies from Maven Central failed (see $PROVISION_LOG)"
  fi
  [ -f "$LIB_DIR.tmp/kafka_2.13-$KAFKA_VERSION.jar" ] \
    || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after download (see $PROVISION_LOG)"; }
  # Kafka's poms bring log4j-api/-core but no SLF4J binding: add the log4j2 binding that fits its
  # slf4j-api (1.7 -> log4j-slf4j-impl, 2.x -> log4j-slf4j2-impl), at Kafka's own log4j version.
  local log4j_version binding
  log4j_version=""
  for f in "$LIB_DIR.tmp"/log4j-core-*.jar; do [ -f "$f" ] && log4j_version="$(basename "$f" .jar)" && log4j_version="${log4j_version#log4j-core-}"; done
  [ -n "$log4j_version" ] || { rm -rf "$tmp"; die "no log4j-core among Kafka $KAFKA_VERSION's dependencies (see $PROVISION_LOG)"; }
  if ls "$LIB_DIR.tmp"/slf4j-api-1.*.jar >/dev/null 2>&1; then binding=log4j-slf4j-impl; else binding=log4j-slf4j2-impl; fi
  if ! (cd "$tmp" && mvn -B "$MVN_DEPENDENCY_PLUGIN:copy" -Dartifact="org.apache.logging.log4j:$binding:$log4j_version" \
      -DoutputDirectory="$LIB_DIR.tmp") >>"$PROVISION_LOG" 2>&1; then
    rm -rf "$tmp" "$LIB_DIR.tmp"
    die "download of org.apache.logging.log4j:$binding:$log4j_version from Maven Central failed (see $PROVISION_LOG)"
  fi
  rm -rf "$tmp"
  echo "$KAFKA_VERSION" >"$LIB_DIR.tmp/.leadstream-version"
  rm -rf "$LIB_DIR"
  mv "$LIB_DIR.tmp" "$LIB_DIR"
  say "kafka: $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $LIB_DIR"
}

provision_registry() {
  local stamp="$APICURIO_DIR/.leadstream-version"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$APICURIO_VERSION" ]; then return 0; fi
  require_mvn
  local gav="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all"
  say "fetching Apicurio Registry $APICURIO_VERSION ($gav) from Maven Central"
  local tmp; tmp="$(mktemp -d)"
  if ! (cd "$tmp" && mvn -B "$MVN_DEPENDENCY_PLUGIN:copy" -Dartifact="$gav" -DoutputDirectory="$tmp") >"$PROVISION_LOG" 2>&1; then
    rm -rf "$tmp"
    die "download of $gav from Maven Central failed (see $PROVISION_LOG)"
  fi
  rm -rf "$APICURIO_DIR.tmp"; mkdir -p "$APICURIO_DIR.tmp"
  tar -xzf "$tmp/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$APICURIO_DIR.tmp" \
    || { rm -rf "$tmp"; die "could not unpack $gav (see $PROVISION_LOG)"; }
  rm -rf "$tmp"
  echo "$APICURIO_VERSION" >"$APICURIO_DIR.tmp/.leadstream-version"
  rm -rf "$APICURIO_DIR"
  mv "$APICURIO_DIR.tmp" "$APICURIO_DIR"
}

# The registry's launcher: quarkus-run.jar (fast-jar layout, 3.1+) or *-runner.jar (3.0.x layout).
registry_jar() {
  if [ -f "$APICURIO_DIR/quarkus-run.jar" ]; then echo "quarkus-run.jar"; return 0; fi
  local j
  for j in "$APICURIO_DIR"/apicurio-registry-app-*-runner.jar; do [ -f "$j" ] && { basename "$j"; return 0; }; done
  die "no quarkus-run.jar or *-runner.jar in $APICURIO_DIR (delete it and run up again)"
}

# -------------------------------------------------------------------------------------------- config

write_kafka_config() {
  mkdir -p "$CONF_DIR"
  cat >"$CONF_DIR/server.properties" <<EOF
# Generated by scripts/platform.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=67108864
delete.topic.enable=true
EOF
  cat >"$CONF_DIR/kafka-log4j2.properties" <<EOF
# Generated by scripts/platform.sh. The broker logs to logs/kafka.log at INFO.
status = warn
name = leadstream-kafka
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = $KAFKA_LOG
appender.file.filePattern = $KAFKA_LOG.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
EOF
  cat >"$CONF_DIR/tools-log4j2.properties" <<EOF
status = warn
name = leadstream-kafka-tools
appender.err.type = Console
appender.err.name = err
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m (%c)%n
rootLogger.level = ERROR
rootLogger.appenderRef.err.ref = err
EOF
}

# Runs a Kafka command-line class (TopicCommand, StorageTool, ...) on the platform's classpath.
kafka_tool() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$CONF_DIR/tools-log4j2.properties" -cp "$LIB_DIR/*" "$@"
}

format_kafka_storage() {
  local ports="$KAFKA_DATA/.leadstream-controller"
  if [ -f "$KAFKA_DATA/meta.properties" ]; then
    # --standalone records the controller's address in the metadata log; it cannot move afterwards.
    if [ -f "$ports" ] && [ "$(cat "$ports")" != "127.0.0.1:$KAFKA_CONTROLLER_PORT" ]; then
      die "Kafka data in $KAFKA_DATA was formatted for controller $(cat "$ports"), not 127.0.0.1:$KAFKA_CONTROLLER_PORT; run 'down --wipe' or use the old KAFKA_CONTROLLER_PORT"
    fi
    return 0
  fi
  local cluster_id
  while :; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    case "$cluster_id" in -*) ;; *) break ;; esac
  done
  mkdir -p "$KAFKA_DATA"
  say "formatting KRaft storage in $KAFKA_DATA (cluster id $cluster_id)"
  kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF_DIR/server.properties" --standalone \
    >>"$LOG_DIR/kafka-format.log" 2>&1 || die "formatting Kafka storage failed (see $LOG_DIR/kafka-format.log)"
  echo "127.0.0.1:$KAFKA_CONTROLLER_PORT" >"$ports"
}

# ------------------------------------------------------------------------------------------- start

start_kafka() {
  local pid
  if pid="$(service_pid kafka)"; then
    say "kafka already running (pid $pid, 127.0.0.1:$KAFKA_PORT)"
    return 0
  fi
  ensure_port_free kafka "$KAFKA_PORT"
  ensure_port_free "kafka controller" "$KAFKA_CONTROLLER_PORT"
  write_kafka_config
  format_kafka_storage
  say "starting kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
  rotate_log "$LOG_DIR/kafka.out"
  # shellcheck disable=SC2086 # KAFKA_HEAP holds several JVM flags
  setsid nohup "$JAVA" $KAFKA_HEAP -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dkafka.logs.dir="$LOG_DIR" \
    -Dlog4j2.configurationFile="$CONF_DIR/kafka-log4j2.properties" \
    -cp "$LIB_DIR/*" kafka.Kafka "$CONF_DIR/server.properties" \
    </dev/null >>"$LOG_DIR/kafka.out" 2>&1 9>&- &
  echo $! >"$(pid_file kafka)"
}

wait_kafka() {
  local pid deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until port_open "$KAFKA_PORT"; do
    pid="$(service_pid kafka)" || die "kafka exited during startup (see $KAFKA_LOG and $LOG_DIR/kafka.out)"
    [ "$SECONDS" -lt "$deadline" ] || die "kafka did not open 127.0.0.1:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s (see $KAFKA_LOG)"
    sleep 0.3
  done
  # The port opens before the broker is ready for clients: wait until a metadata request succeeds.
  local out
  until out="$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list 2>&1)"; do
    service_pid kafka >/dev/null || die "kafka exited during startup (see $KAFKA_LOG)"
    [ "$SECONDS" -lt "$deadline" ] || die "kafka did not answer clients within ${KAFKA_START_TIMEOUT}s: ${out##*$'\n'} (see $KAFKA_LOG)"
    sleep 1
  done
}

# Ready once it answers and has replayed its KafkaSQL journal: /subjects answers 200 while the replay
# still runs, and a schema registered then is refused as an artifact that "already exists" (409).
registry_ready() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$REGISTRY_URL/subjects" 2>/dev/null)" = "200" ] &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:${REGISTRY_PORT}/health/ready" 2>/dev/null)" = "200" ]
}

start_registry() {
  local pid
  if pid="$(service_pid registry)"; then
    say "registry already running (pid $pid, $REGISTRY_URL)"
    return 0
  fi
  ensure_port_free registry "$REGISTRY_PORT"
  case "$APICURIO_VERSION" in
    3.0.*) ;;
    *) [ "$JAVA_MAJOR" -ge 21 ] || die "Apicurio Registry $APICURIO_VERSION needs Java 21+, $JAVA is Java $JAVA_MAJOR (set JAVA_HOME, or APICURIO_VERSION=3.0.9)" ;;
  esac
  local jar; jar="$(registry_jar)"
  mkdir -p "$REGISTRY_DATA/tmp"
  say "starting registry (Apicurio $APICURIO_VERSION, KafkaSQL storage) on 127.0.0.1:$REGISTRY_PORT"
  rotate_log "$REGISTRY_LOG"
  # Settings (Apicurio 3.x names):
  #  apicurio.storage.kind=kafkasql         schemas live in Kafka (topic $REGISTRY_TOPIC), replayed on start
  #  apicurio.kafkasql.topic.retention.ms=-1
  #                                         the registry creates its topics (journal, snapshots, events;
  #                                         1 partition each) with "apicurio.kafkasql.topic.*" as topic
  #                                         configs: the journal is its only storage, so keep it forever
  #                                         (the broker's default would drop schemas after 7 days)
  #  apicurio.kafkasql.consumer.poll.timeout=1000
  #                                         (default 5000) start-up polls the snapshots topic once
  #                                         for this long: 4 s less to wait
  #  apicurio.ccompat.legacy-id-mode        off (default): ccompat ids are content ids, as Confluent's
  #                                         (same schema => same id across subjects; /schemas/ids/{id})
  #  apicurio.ccompat.use-canonical-hash    on: a schema re-registered with other whitespace or key
  #                                         order finds its existing version/id, as with Confluent's SR
  #  apicurio.rest.deletion.*               on: Confluent clients may DELETE subjects and versions
  # shellcheck disable=SC2086 # REGISTRY_HEAP holds several JVM flags
  (cd "$APICURIO_DIR" && exec setsid nohup "$JAVA" $REGISTRY_HEAP -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
    -Djava.io.tmpdir="$REGISTRY_DATA/tmp" \
    -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dapicurio.storage.kind=kafkasql \
    -Dapicurio.kafkasql.bootstrap.servers="127.0.0.1:$KAFKA_PORT" \
    -Dapicurio.kafkasql.topic="$REGISTRY_TOPIC" \
    -Dapicurio.kafkasql.topic.retention.ms=-1 \
    -Dapicurio.kafkasql.consumer.poll.timeout=1000 \
    -Dapicurio.ccompat.legacy-id-mode.enabled=false \
    -Dapicurio.ccompat.use-canonical-hash=true \
    -Dapicurio.rest.deletion.group.enabled=true \
    -Dapicurio.rest.deletion.artifact.enabled=true \
    -Dapicurio.rest.deletion.artifact-version.enabled=true \
    -Dapicurio.storage.snapshot.location="$REGISTRY_DATA" \
    -Dapicurio.import.work-dir="$REGISTRY_DATA/tmp" \
    -Dquarkus.log.console.format='%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %m%n' \
    -jar "$jar" </dev/null >>"$REGISTRY_LOG" 2>&1 9>&-) &
  echo $! >"$(pid_file registry)"
}

wait_registry() {
  local deadline=$((SECONDS + REGISTRY_START_TIMEOUT))
  until registry_ready; do
    service_pid registry >/dev/null || die "registry exited during startup (see $REGISTRY_LOG)"
    [ "$SECONDS" -lt "$deadline" ] || die "registry did not answer $REGISTRY_URL/subjects within ${REGISTRY_START_TIMEOUT}s (see $REGISTRY_LOG)"
    sleep 0.5
  done
}

# ----------------------------------------------------------------------------------------- commands

with_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/platform.lock"
  flock -w 300 9 || die "another platform.sh is still running (lock $RUN_DIR/platform.lock)"
}

cmd_up() {
  require_java
  require_tools
  mkdir -p "$LIB_DIR" "$DATA_DIR" "$LOG_DIR" "$RUN_DIR"
  with_lock
  local kpid rpid
  if kpid="$(service_pid kafka)" && rpid="$(service_pid registry)" && port_open "$KAFKA_PORT" && registry_ready; then
    say "already running (kafka pid $kpid, registry pid $rpid)"
  else
    # Check every port before starting anything, so a clash leaves nothing half-started.
    service_pid kafka >/dev/null || { ensure_port_free kafka "$KAFKA_PORT"; ensure_port_free "kafka controller" "$KAFKA_CONTROLLER_PORT"; }
    service_pid registry >/dev/null || ensure_port_free registry "$REGISTRY_PORT"
    provision_kafka
    provision_registry
    start_kafka
    wait_kafka
    start_registry
    wait_registry
  fi
  echo "kafka: 127.0.0.1:$KAFKA_PORT"
  echo "registry: $REGISTRY_URL"
}

cmd_down() {
  local wipe=0
  case "${1:-}" in
    "") ;;
    --wipe) wipe=1 ;;
    *) die "usage: platform.sh down [--wipe]" ;;
  esac
  [ -d "$PLATFORM_DIR" ] || { say "nothing to stop ($PLATFORM_DIR does not exist)"; return 0; }
  with_lock
  stop_service registry
  stop_service kafka
  if [ "$wipe" = 1 ]; then
    say "deleting $DATA_DIR"
    rm -rf "$DATA_DIR"
  fi
  say "stopped"
}

cmd_restart() {
  local svc="${1:-}"
  case "$svc" in kafka | registry) ;; *) die "usage: platform.sh restart kafka|registry" ;; esac
  require_java
  require_tools
  mkdir -p "$LIB_DIR" "$DATA_DIR" "$LOG_DIR" "$RUN_DIR"
  with_lock
  stop_service "$svc"
  if [ "$svc" = kafka ]; then
    provision_kafka; start_kafka; wait_kafka
  else
    service_pid kafka >/dev/null || die "kafka is not running (run: platform.sh up)"
    provision_registry; start_registry; wait_registry
  fi
  say "$svc restarted"
}

cmd_status() {
  local pid state
  if pid="$(service_pid kafka)"; then
    if port_open "$KAFKA_PORT"; then state=running; else state=starting; fi
    printf '%-9s %-8s pid %-8s 127.0.0.1:%s\n' kafka "$state" "$pid" "$KAFKA_PORT"
  else
    printf '%-9s %-8s pid %-8s 127.0.0.1:%s\n' kafka stopped - "$KAFKA_PORT"
  fi
  if pid="$(service_pid registry)"; then
    if registry_ready; then state=running; else state=starting; fi
    printf '%-9s %-8s pid %-8s %s\n' registry "$state" "$pid" "$REGISTRY_URL"
  else
    printf '%-9s %-8s pid %-8s %s\n' registry stopped - "$REGISTRY_URL"
  fi
}

cmd_logs() {
  local f
  case "${1:-}" in
    kafka) f="$KAFKA_LOG" ;;
    registry) f="$REGISTRY_LOG" ;;
    *) die "usage: platform.sh logs kafka|registry" ;;
  esac
  [ -f "$f" ] || die "no log yet at $f"
  exec tail -n 100 -F "$f"
}

usage() {
  cat >&2 <<EOF
usage: platform.sh up | down [--wipe] | restart kafka|registry | status | logs kafka|registry
  Apache Kafka $KAFKA_VERSION at 127.0.0.1:$KAFKA_PORT, Apicurio Registry $APICURIO_VERSION at $REGISTRY_URL
  files under $PLATFORM_DIR
EOF
}

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status "$@" ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
