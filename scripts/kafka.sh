#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft, broker + controller in one process) on 127.0.0.1:9092 for
# development and tests, with no Docker: the broker jars come from Maven Central through Maven.
#
#   scripts/kafka.sh [start|stop|restart|status]     (default: start)
#
# start is safe to run twice (a broker already answering -> exit 0) and returns only once the broker
# answers. Needs Java 17+ and Maven. Everything lives under .kafka/ in the repo (git-ignored): libs/
# (the classpath), data/ (KRaft metadata + topic logs, kept across restarts), kafka.log, kafka.pid.
#
# Environment: KAFKA_VERSION (3.9.1), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
# KAFKA_HOME (<repo>/.kafka), KAFKA_HEAP (-Xmx512m -Xms256m), KAFKA_JVM_OPTS, KAFKA_START_TIMEOUT (180 s).
# docker-compose uses the official image of the same version: apache/kafka:3.9.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${KAFKA_VERSION:-3.9.1}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HOME_DIR="${KAFKA_HOME:-$ROOT/.kafka}"
HEAP="${KAFKA_HEAP:--Xmx512m -Xms256m}"
# A dev/test broker on a small, shared machine: cheap start-up beats peak throughput (C1 JIT only,
# single-threaded GC). Override with KAFKA_JVM_OPTS.
JVM_OPTS="${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
LIBS="$HOME_DIR/libs"
DATA="$HOME_DIR/data"
PIDFILE="$HOME_DIR/kafka.pid"
LOGFILE="$HOME_DIR/kafka.log"
CONFIG="$HOME_DIR/server.properties"
LOG4J="$HOME_DIR/log4j.properties"

say() { echo "kafka.sh: $*" >&2; }
die() {
  say "$*"
  exit 1
}

# True when something accepts TCP connections on the port (bash's /dev/tcp: no nc needed).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

our_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

fetch_libs() {
  if [[ -f "$LIBS/.version" && "$(cat "$LIBS/.version")" == "$VERSION" ]]; then return; fi
  command -v mvn >/dev/null || die "Maven (mvn) is required to fetch the Kafka $VERSION jars"
  say "fetching org.apache.kafka:kafka_2.13:$VERSION and its runtime dependencies from Maven Central"
  local tmp="$HOME_DIR/libs.tmp"
  rm -rf "$tmp"
  mvn -q -B -Dstyle.color=never -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$VERSION" -DincludeScope=runtime -DoutputDirectory="$tmp"
  ls "$tmp"/kafka_2.13-"$VERSION".jar >/dev/null || die "Maven did not produce kafka_2.13-$VERSION.jar"
  echo "$VERSION" >"$tmp/.version"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
}

write_config() {
  # Rewritten on every start so edits here apply; the data dir (and its cluster id) is kept.
  cat >"$CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=1
auto.create.topics.enable=true
delete.topic.enable=true
# One node: every internal topic has one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fast group joins for tests (no 3 s wait for more members; short sessions allowed).
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
# Load partitions in parallel at start-up (tests leave many small topics behind).
num.recovery.threads.per.data.dir=2
# Test topics pile up: keep segments small and data for a day.
log.segment.bytes=67108864
log.retention.hours=24
EOF
  cat >"$LOG4J" <<EOF
log4j.rootLogger=WARN, stdout
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

format_storage() {
  [[ -f "$DATA/meta.properties" ]] && return
  local id
  id="$(java -Dlog4j.configuration="file:$LOG4J" -cp "$LIBS/*" kafka.tools.StorageTool random-uuid)"
  say "formatting KRaft storage in $DATA (cluster $id)"
  java -Dlog4j.configuration="file:$LOG4J" -cp "$LIBS/*" kafka.tools.StorageTool format \
    -t "$id" -c "$CONFIG" --ignore-formatted >/dev/null
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  # Ready = the client port accepts connections and the server logged that it finished starting
  # (the port opens a little before the broker has registered with the controller).
  until port_open "$PORT" && grep -q "Kafka Server started" "$LOGFILE" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOGFILE" >&2 || true
      die "the broker exited during start (log: $LOGFILE)"
    fi
    ((SECONDS < deadline)) || die "the broker did not become ready within ${START_TIMEOUT}s (log: $LOGFILE)"
    sleep 0.2
  done
}

start() {
  mkdir -p "$HOME_DIR"
  exec 9>"$HOME_DIR/.lock"
  flock 9 # two concurrent starts: the second waits, then finds the first running
  if port_open "$PORT"; then
    say "already running on 127.0.0.1:$PORT"
    return 0
  fi
  command -v java >/dev/null || die "Java 17+ is required"
  fetch_libs
  write_config
  format_storage
  : >"$LOGFILE"
  # setsid: the broker outlives this shell and a Ctrl-C in the terminal that started it.
  # shellcheck disable=SC2086 # HEAP and JVM_OPTS are word lists
  setsid java $HEAP $JVM_OPTS -Djava.awt.headless=true -Dlog4j.configuration="file:$LOG4J" \
    -cp "$LIBS/*" kafka.Kafka "$CONFIG" >>"$LOGFILE" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  local t0=$SECONDS
  wait_ready "$pid"
  say "Kafka $VERSION ready on 127.0.0.1:$PORT (pid $pid, $((SECONDS - t0))s)"
}

stop() {
  local pid
  if ! pid="$(our_pid)"; then
    if port_open "$PORT"; then die "port $PORT is served by a process this script did not start"; fi
    say "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  kill -TERM "$pid" # controlled shutdown: logs flushed, the next start needs no recovery
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "no clean exit after 60s: killing $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  say "stopped"
}

status() {
  local pid
  if pid="$(our_pid)" && port_open "$PORT"; then
    echo "running (pid $pid) on 127.0.0.1:$PORT"
  elif port_open "$PORT"; then
    echo "running on 127.0.0.1:$PORT (not started by this script)"
  else
    echo "stopped"
    return 3
  fi
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
restart)
  stop
  start
  ;;
status) status ;;
*) die "usage: scripts/kafka.sh [start|stop|restart|status]" ;;
esac
