#!/usr/bin/env bash
# The machine's services the integration tests use: check them (`status`), or start the missing ones
# with the machine's documented commands (`ensure`). Kafka has its own script (scripts/kafka.sh).
set -uo pipefail

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  case "$1" in
    mosquitto) mosquitto -d -c /etc/mosquitto/mosquitto.conf ;;
    redis) redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log ;;
    rabbitmq) rabbitmq-server -detached ;;
    nats) start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log ;;
    postgres) pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start ;;
  esac
}

services="mosquitto:1883 redis:6379 rabbitmq:5672 nats:4222 postgres:5432"
mode="${1:-status}"
bad=0
for s in $services; do
  name=${s%%:*} port=${s##*:}
  if up "$port"; then echo "ok    $name :$port"; continue; fi
  if [ "$mode" = ensure ]; then
    echo "start $name"
    start "$name" >/dev/null 2>&1
    for _ in $(seq 1 60); do up "$port" && break; sleep 1; done
  fi
  if up "$port"; then echo "ok    $name :$port"; else echo "DOWN  $name :$port"; bad=1; fi
done
exit $bad
