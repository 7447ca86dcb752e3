#!/usr/bin/env bash
# A real Flink 2.2 session cluster and a real Kafka 4.2 broker on this machine, without Docker:
# one JobManager (StandaloneSessionClusterEntrypoint) and two TaskManagers (TaskManagerRunner),
# each its own JVM started from Flink's own entry points, and one KRaft broker (kafka.Kafka,
# broker and controller in one process). The jars come from Maven (deploy/standalone/pom.xml).
#
#   deploy/standalone/cluster.sh start                     # prints the work folder, REST URL, broker
#   deploy/standalone/cluster.sh submit jobs/target/ttt-video-jobs-<version>-cluster.jar \
#       --kafka.bootstrap-servers localhost:<port> --output.dir file:///tmp/videos
#   deploy/standalone/cluster.sh status
#   deploy/standalone/cluster.sh stop
#
# Commands (options before the command):
#   start                   start the broker, the JobManager and the TaskManagers; waits until the
#                           REST API shows them all (keeps Kafka data and checkpoints of an earlier
#                           start in the same work folder)
#   stop                    cancel running jobs, then SIGTERM every process, wait, SIGKILL the rest
#   status                  each process, and the cluster's overview from the REST API
#   submit [--class C] [--parallelism P] JAR [ARGS...]
#                           upload the jar (REST /jars/upload) and run it (/jars/<id>/run); prints
#                           "JOB <job id>". Default entry class org.tttvideo.jobs.GenerationJob,
#                           parallelism 2
#   upload JAR              upload only; prints "JAR <jar id>"
#   run [--class C] [--parallelism P] JAR_ID [ARGS...]
#                           run an uploaded jar; prints "JOB <job id>"
#   taskmanager start|stop|kill ID
#                           start another TaskManager (e.g. a replacement), stop one (SIGTERM), or
#                           kill one (SIGKILL); ID is a name such as 3
#   kafka topics|console-producer|console-consumer ARGS...
#                           Kafka's own tools against this broker (--bootstrap-server is added)
#   kafka kill|start        kill the broker (SIGKILL) or start it again on its data
#   env                     the cluster's addresses as shell assignments (eval "$(cluster.sh env)")
#   clean                   delete the work folder (only when stopped)
#
# Options:
#   --dir DIR               work folder (default $TTT_STANDALONE_DIR, else ${TMPDIR:-/tmp}/ttt-video-standalone):
#                           config, logs, pid files, Kafka data, checkpoints, temporary files
#   --taskmanagers N        TaskManagers that start starts (default 2)
#   --slots N               slots per TaskManager (default 1)
#   --conf KEY=VALUE        a Flink option for config.yaml (repeatable; wins over the defaults)
#
# Environment: FLINK_REST_PORT, FLINK_RPC_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT fix the ports
# (otherwise those of an earlier start in the work folder if still free, else free ones);
# JAVA_HOME or JAVA; MVN; TTT_KAFKA_HEAP (default 512m); TTT_JAVACPP_CACHE (JavaCPP's native
# cache, default <work>/tmp/javacpp: a shared one such as ~/.javacpp/cache saves unpacking);
# TTT_STOP_WAIT (seconds stop waits after SIGTERM before SIGKILL, default 30).
#
# The TaskManagers run the model, so they get --add-modules jdk.incubator.vector through Flink's
# env.java.opts.all, which this script applies as Flink's own scripts do: JVM options =
# env.java.default-opts.all (Flink's Java 17 module flags) + env.java.opts.all + the
# env.java.opts.jobmanager/taskmanager of config.yaml, and heap and direct memory from Flink's
# memory model (BashJavaUtils GET_JM/TM_RESOURCE_PARAMS).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

DIR="${TTT_STANDALONE_DIR:-${TMPDIR:-/tmp}/ttt-video-standalone}"
TASKMANAGERS=2
SLOTS=1
CONF_OVERRIDES=()

if [[ -n "${JAVA:-}" ]]; then
  :
elif [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi
MVN="${MVN:-mvn}"

ENTRY_CLASS_DEFAULT="org.tttvideo.jobs.GenerationJob"
STOP_WAIT_SECONDS="${TTT_STOP_WAIT:-30}"

# Flink's Java 17 options (a Flink distribution's conf/config.yaml sets them for its scripts).
JAVA17_OPTS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

log() { echo "cluster.sh: $*" >&2; }
die() {
  echo "cluster.sh: error: $*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

# ------------------------------------------------------------------ folders and state

conf_dir() { echo "$DIR/conf/flink"; }
pid_file() { echo "$DIR/run/$1.pid"; }

# The pid of a process this work folder started, if it is alive: the pid file names it and its
# command line names the work folder (a recycled pid of another program is not ours).
alive_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DIR/" || return 1
  echo "$pid"
}

process_names() {
  local f
  for f in "$DIR"/run/*.pid; do
    [[ -e "$f" ]] || continue
    basename "$f" .pid
  done
}

load_env() {
  [[ -f "$DIR/cluster.env" ]] || die "no cluster in $DIR (run: $0 --dir $DIR start)"
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
}

rest_url() { echo "http://localhost:$FLINK_REST_PORT"; }

# ------------------------------------------------------------------ ports

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

CHOSEN_PORTS=" "
# choose_port VAR: keeps $VAR if set (from the environment or an earlier start) and free, else
# takes a free port that no other VAR took.
choose_port() {
  local var="$1" fixed="$2" p="${!1:-}" tries
  if [[ -n "$p" ]]; then
    if ! port_in_use "$p"; then
      CHOSEN_PORTS+="$p "
      return
    fi
    [[ "$fixed" == 1 ]] && die "$var=$p is in use by another program"
  fi
  for tries in $(seq 200); do
    # below the kernel's ephemeral range (32768+), where outgoing connections take theirs
    p=$((20000 + RANDOM % 12000))
    if [[ "$CHOSEN_PORTS" != *" $p "* ]] && ! port_in_use "$p"; then
      CHOSEN_PORTS+="$p "
      printf -v "$var" '%s' "$p"
      return
    fi
  done
  die "found no free port for $var"
}

# ------------------------------------------------------------------ classpaths

# The Flink and Kafka classpaths, resolved by Maven once per work folder (and again when the pom
# changes).
resolve_classpaths() {
  local profile out
  mkdir -p "$DIR/classpath"
  for profile in flink kafka; do
    out="$DIR/classpath/$profile.cp"
    if [[ ! -s "$out" || "$HERE/pom.xml" -nt "$out" || "$REPO/pom.xml" -nt "$out" ]]; then
      log "resolving the $profile jars with Maven (deploy/standalone/pom.xml -P $profile)"
      "$MVN" -q -B -ntp -f "$HERE/pom.xml" -P "$profile" dependency:build-classpath \
        -Dmdep.outputFile="$out" -Dmdep.includeScope=runtime >"$DIR/log/maven-$profile.log" 2>&1 ||
        die "resolving the $profile jars failed; see $DIR/log/maven-$profile.log"
    fi
  done
  FLINK_CP="$(cat "$DIR/classpath/flink.cp")"
  KAFKA_CP="$(cat "$DIR/classpath/kafka.cp")"
}

# ------------------------------------------------------------------ configuration

yaml_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# The value of a flat key in the generated config.yaml (as written by write_flink_conf).
conf_value() {
  local line
  line="$(grep -m1 -E "^$(printf '%s' "$1" | sed 's/[.]/[.]/g'): " "$(conf_dir)/config.yaml" || true)"
  [[ -n "$line" ]] || return 0
  line="${line#*: }"
  line="${line#\'}"
  line="${line%\'}"
  printf '%s' "${line//\'\'/\'}"
}

write_flink_conf() {
  local javacpp_cache="${TTT_JAVACPP_CACHE:-$DIR/tmp/javacpp}"
  local -a keys=(
    env.java.default-opts.all
    env.java.opts.all
    jobmanager.rpc.address
    jobmanager.rpc.port
    jobmanager.bind-host
    jobmanager.memory.process.size
    jobmanager.execution.failover-strategy
    taskmanager.host
    taskmanager.bind-host
    taskmanager.numberOfTaskSlots
    taskmanager.memory.process.size
    taskmanager.memory.managed.size
    parallelism.default
    rest.address
    rest.bind-address
    rest.port
    rest.server.max-content-length
    rest.client.max-content-length
    web.upload.dir
    web.tmpdir
    io.tmp.dirs
    blob.storage.directory
    state.backend.type
    execution.checkpointing.dir
    execution.checkpointing.savepoint-dir
    restart-strategy.type
    restart-strategy.fixed-delay.attempts
    restart-strategy.fixed-delay.delay
    heartbeat.interval
    heartbeat.timeout
    metrics.fetcher.update-interval
    cluster.intercept-user-system-exit
  )
  local -A v=(
    [env.java.default-opts.all]="$JAVA17_OPTS"
    [env.java.opts.all]="--add-modules=jdk.incubator.vector -Dorg.bytedeco.javacpp.cachedir=$javacpp_cache"
    [jobmanager.rpc.address]=localhost
    [jobmanager.rpc.port]="$FLINK_RPC_PORT"
    [jobmanager.bind-host]=localhost
    [jobmanager.memory.process.size]=1024m
    [jobmanager.execution.failover-strategy]=region
    [taskmanager.host]=localhost
    [taskmanager.bind-host]=localhost
    [taskmanager.numberOfTaskSlots]="$SLOTS"
    [taskmanager.memory.process.size]=1536m
    # the job keeps its state on the heap (hashmap backend): no managed memory for RocksDB
    [taskmanager.memory.managed.size]=0
    [parallelism.default]=2
    [rest.address]=localhost
    [rest.bind-address]=localhost
    [rest.port]="$FLINK_REST_PORT"
    # the cluster jar carries ND4J and FFmpeg (~190 MB); the default limit is 100 MiB
    [rest.server.max-content-length]=536870912
    [rest.client.max-content-length]=536870912
    [web.upload.dir]="$DIR/data/jars"
    [web.tmpdir]="$DIR/tmp/web"
    [io.tmp.dirs]="$DIR/tmp/io"
    [blob.storage.directory]="$DIR/tmp/blobs"
    [state.backend.type]=hashmap
    [execution.checkpointing.dir]="file://$DIR/data/checkpoints"
    [execution.checkpointing.savepoint-dir]="file://$DIR/data/savepoints"
    # the cluster's default; the generation job sets its own (restart.attempts, restart.delay)
    [restart-strategy.type]=fixed-delay
    [restart-strategy.fixed-delay.attempts]=10
    [restart-strategy.fixed-delay.delay]="2 s"
    # a lost TaskManager is noticed within seconds, not the default 50 s
    [heartbeat.interval]=2000
    [heartbeat.timeout]=10000
    # REST metrics within a second of the operators' (default 10 s)
    [metrics.fetcher.update-interval]=1000
    # a jar's main() runs inside the JobManager under /jars/run: a System.exit there would end
    # the JobManager (org.tttvideo.jobs.cli.Main exits with its status), so it throws instead
    [cluster.intercept-user-system-exit]=THROW
  )
  local kv k
  for kv in "${CONF_OVERRIDES[@]}"; do
    k="${kv%%=*}"
    [[ "$kv" == *=* && -n "$k" ]] || die "--conf needs KEY=VALUE, got '$kv'"
    [[ -v "v[$k]" ]] || keys+=("$k")
    v[$k]="${kv#*=}"
  done
  mkdir -p "$(conf_dir)"
  {
    echo "# Generated by deploy/standalone/cluster.sh start; changes are lost on the next start"
    echo "# (use --conf KEY=VALUE). Flat keys: Flink 2.x reads them from its standard YAML."
    for k in "${keys[@]}"; do
      echo "$k: $(yaml_quote "${v[$k]}")"
    done
  } >"$(conf_dir)/config.yaml"

  # Flink's log4j configuration for its processes (as conf/log4j.properties of a distribution)
  cat >"$(conf_dir)/log4j.properties" <<'EOF'
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
# Kafka sinks register some metrics twice ("Name collision: Group already contains a Metric"),
# a warning per checkpoint and sink; harmless
logger.metricgroup.name = org.apache.flink.metrics.MetricGroup
logger.metricgroup.level = ERROR
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
}

write_kafka_conf() {
  mkdir -p "$DIR/conf/kafka"
  cat >"$DIR/conf/kafka/server.properties" <<EOF
# Generated by deploy/standalone/cluster.sh start: one KRaft node, broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data/kafka
num.partitions=2
auto.create.topics.enable=false
# one node: replication factor 1 for the internal topics, or consumer groups and transactions
# never get a coordinator
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# the exactly-once sinks' transactions stay open between checkpoints (job: 15 min by default, at most this)
transaction.max.timeout.ms=900000
message.max.bytes=16777216
replica.fetch.max.bytes=16777216
log.cleaner.dedupe.buffer.size=2097152
EOF
  cat >"$DIR/conf/kafka/log4j2.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = File
logger.controller.name = kafka.controller
logger.controller.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
appender.file.name = File
appender.file.type = File
appender.file.append = true
appender.file.fileName = ${sys:kafka.logs.dir}/kafka.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
EOF
  # the command-line tools (cluster.sh kafka ...): warnings on standard error
  cat >"$DIR/conf/kafka/log4j2-tools.properties" <<'EOF'
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
appender.stderr.name = STDERR
appender.stderr.type = Console
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
EOF
}

# ------------------------------------------------------------------ processes

# launch NAME CMD...: starts CMD in its own session (a Ctrl-C in this terminal does not reach
# it), output in log/NAME.out, pid in run/NAME.pid.
launch() {
  local name="$1"
  shift
  mkdir -p "$DIR/run" "$DIR/log" "$DIR/plugins"
  # Flink's plugins folder (file systems, metric reporters): empty here, but it must exist
  FLINK_PLUGINS_DIR="$DIR/plugins" setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' launch "$(pid_file "$name")" "$@" \
    </dev/null >>"$DIR/log/$name.out" 2>&1 &
  local i
  for i in $(seq 50); do
    [[ -s "$(pid_file "$name")" ]] && return 0
    sleep 0.1
  done
  die "$name did not start (see $DIR/log/$name.out)"
}

# The JVM heap and direct-memory options and the dynamic memory configuration of Flink's memory
# model, exactly as Flink's jobmanager.sh/taskmanager.sh get them. Sets JVM_PARAMS and DYNAMIC.
flink_resource_params() {
  local out
  out="$("$JAVA" -cp "$FLINK_CP" -Dlog4j2.statusLoggerLevel=ERROR \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$(conf_dir)" 2>&1)" ||
    die "Flink's BashJavaUtils $1 failed: $out"
  local -a lines
  mapfile -t lines < <(printf '%s\n' "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')
  [[ ${#lines[@]} -ge 2 ]] || die "Flink's BashJavaUtils $1 printed no result: $out"
  JVM_PARAMS="${lines[0]}"
  DYNAMIC="${lines[1]}"
}

start_kafka() {
  if alive_pid kafka >/dev/null; then
    log "kafka is already running"
    return
  fi
  mkdir -p "$DIR/data/kafka" "$DIR/log"
  local -a jvm=(-Xms"${TTT_KAFKA_HEAP:-512m}" -Xmx"${TTT_KAFKA_HEAP:-512m}" -XX:+UseG1GC
    -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true -Djava.io.tmpdir="$DIR/tmp"
    -Dkafka.logs.dir="$DIR/log" -Dlog4j2.configurationFile="$DIR/conf/kafka/log4j2.properties")
  if [[ ! -f "$DIR/data/kafka/meta.properties" ]]; then
    # a random cluster id: 16 bytes, URL-safe base64 without padding, not starting with '-' (as
    # Uuid.randomUuid: the storage tool would read such an id as an option and refuse to start)
    local id="-"
    while [[ "$id" == -* ]]; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    "$JAVA" "${jvm[@]}" -cp "$KAFKA_CP" kafka.tools.StorageTool format \
      -t "$id" -c "$DIR/conf/kafka/server.properties" >>"$DIR/log/kafka-format.out" 2>&1 ||
      die "formatting the Kafka storage failed (see $DIR/log/kafka-format.out)"
  fi
  launch kafka "$JAVA" "${jvm[@]}" -cp "$KAFKA_CP" kafka.Kafka "$DIR/conf/kafka/server.properties"
}

start_jobmanager() {
  if alive_pid jobmanager >/dev/null; then
    log "the JobManager is already running"
    return
  fi
  flink_resource_params GET_JM_RESOURCE_PARAMS
  local opts
  opts="$(conf_value env.java.default-opts.all) $(conf_value env.java.opts.all)"
  opts+=" $(conf_value env.java.default-opts.jobmanager) $(conf_value env.java.opts.jobmanager)"
  # shellcheck disable=SC2086 # JVM_PARAMS, opts and DYNAMIC are option lists, as in Flink's scripts
  launch jobmanager "$JAVA" $JVM_PARAMS $opts -Djava.io.tmpdir="$DIR/tmp" \
    -Dlog.file="$DIR/log/jobmanager.log" \
    -Dlog4j.configurationFile="file:$(conf_dir)/log4j.properties" \
    -cp "$FLINK_CP" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$(conf_dir)" $DYNAMIC
}

start_taskmanager() {
  local name="taskmanager-$1"
  if alive_pid "$name" >/dev/null; then
    log "$name is already running"
    return
  fi
  [[ -n "${TM_JVM_PARAMS:-}" ]] || {
    flink_resource_params GET_TM_RESOURCE_PARAMS
    TM_JVM_PARAMS="$JVM_PARAMS"
    TM_DYNAMIC="$DYNAMIC"
  }
  local opts
  opts="$(conf_value env.java.default-opts.all) $(conf_value env.java.opts.all)"
  opts+=" $(conf_value env.java.default-opts.taskmanager) $(conf_value env.java.opts.taskmanager)"
  mkdir -p "$DIR/tmp/javacpp"
  # shellcheck disable=SC2086 # option lists, as in Flink's scripts
  launch "$name" "$JAVA" $TM_JVM_PARAMS $opts -Djava.io.tmpdir="$DIR/tmp" \
    -Dlog.file="$DIR/log/$name.log" \
    -Dlog4j.configurationFile="file:$(conf_dir)/log4j.properties" \
    -cp "$FLINK_CP" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$(conf_dir)" -D "taskmanager.resource-id=$name" $TM_DYNAMIC
}

# stop_processes SIGNAL NAME...: signals each process, waits until all have exited (at most
# STOP_WAIT_SECONDS), then SIGKILLs what is left.
stop_processes() {
  local sig="$1" name pid i left
  shift
  local -A pids=()
  for name in "$@"; do
    if pid="$(alive_pid "$name")"; then
      pids[$name]="$pid"
      kill "-$sig" "$pid" 2>/dev/null || true
    fi
    rm -f "$(pid_file "$name")"
  done
  for i in $(seq $((STOP_WAIT_SECONDS * 10))); do
    left=0
    for name in "${!pids[@]}"; do
      kill -0 "${pids[$name]}" 2>/dev/null && left=1
    done
    [[ "$left" == 0 ]] && break
    sleep 0.1
  done
  for name in "${!pids[@]}"; do
    if kill -0 "${pids[$name]}" 2>/dev/null; then
      log "$name (pid ${pids[$name]}) did not stop within ${STOP_WAIT_SECONDS}s: SIGKILL"
      kill -KILL "${pids[$name]}" 2>/dev/null || true
    fi
  done
  for name in "${!pids[@]}"; do
    while kill -0 "${pids[$name]}" 2>/dev/null; do sleep 0.1; done
    log "stopped $name (pid ${pids[$name]})"
  done
}

# ------------------------------------------------------------------ readiness

await() { # await SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2" i
  shift 2
  for i in $(seq $((seconds * 5))); do
    "$@" && return 0
    sleep 0.2
  done
  die "$what did not happen within ${seconds}s (logs in $DIR/log)"
}

kafka_ready() {
  alive_pid kafka >/dev/null || die "the Kafka broker exited (see $DIR/log/kafka.out, kafka.log)"
  port_in_use "$KAFKA_PORT" && grep -q "Kafka Server started" "$DIR/log/kafka.log" 2>/dev/null
}

registered_taskmanagers() {
  curl -sf --max-time 2 "$(rest_url)/taskmanagers" 2>/dev/null |
    jq -r '.taskmanagers[].id' 2>/dev/null || true
}

taskmanager_registered() { registered_taskmanagers | grep -qx "$1"; }

cluster_ready() {
  alive_pid jobmanager >/dev/null || die "the JobManager exited (see $DIR/log/jobmanager.log, .out)"
  local n
  n="$(registered_taskmanagers | wc -l)"
  [[ "$n" -ge "$1" ]]
}

# ------------------------------------------------------------------ commands

cmd_start() {
  command -v curl >/dev/null || die "curl is needed"
  command -v jq >/dev/null || die "jq is needed"
  command -v "$MVN" >/dev/null || die "Maven ($MVN) is needed to resolve the Flink and Kafka jars"
  local running
  running="$(for n in $(process_names); do alive_pid "$n" >/dev/null && echo "$n"; done || true)"
  [[ -z "$running" ]] || die "already running in $DIR: $(echo $running); stop it first"
  mkdir -p "$DIR"/{log,run,tmp/io,tmp/web,tmp/blobs,data/jars,data/checkpoints,data/savepoints}
  rm -f "$DIR"/run/*.pid
  # ports: from the environment (must be free), else those of an earlier start (if free), else
  # free ones
  local var line
  for var in FLINK_REST_PORT FLINK_RPC_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT; do
    if [[ -n "${!var:-}" ]]; then
      choose_port "$var" 1
      continue
    fi
    line="$(grep -sE "^$var=[0-9]+$" "$DIR/cluster.env" || true)"
    [[ -z "$line" ]] || printf -v "$var" '%s' "${line#*=}"
    choose_port "$var" 0
  done
  cat >"$DIR/cluster.env" <<EOF
FLINK_REST_PORT=$FLINK_REST_PORT
FLINK_RPC_PORT=$FLINK_RPC_PORT
KAFKA_PORT=$KAFKA_PORT
KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT
EOF
  resolve_classpaths
  write_flink_conf
  write_kafka_conf

  local t0=$SECONDS i
  start_kafka
  start_jobmanager
  for i in $(seq "$TASKMANAGERS"); do
    start_taskmanager "$i"
  done
  await 90 "the Kafka broker to start" kafka_ready
  await 120 "$TASKMANAGERS TaskManagers to register" cluster_ready "$TASKMANAGERS"
  echo "Started in $((SECONDS - t0)) s. Work folder: $DIR"
  cmd_env_lines
  echo "Dashboard:  $(rest_url)"
  echo "Kafka:      localhost:$KAFKA_PORT"
  echo "Logs:       $DIR/log"
}

cmd_env_lines() {
  echo "WORK_DIR=$DIR"
  echo "FLINK_REST_URL=$(rest_url)"
  echo "KAFKA_BOOTSTRAP=localhost:$KAFKA_PORT"
}

cmd_env() {
  load_env
  cmd_env_lines
  echo "FLINK_REST_PORT=$FLINK_REST_PORT"
  echo "KAFKA_PORT=$KAFKA_PORT"
}

cmd_stop() {
  [[ -d "$DIR/run" ]] || {
    log "nothing to stop in $DIR"
    return 0
  }
  if [[ -f "$DIR/cluster.env" ]] && alive_pid jobmanager >/dev/null; then
    load_env
    local id
    for id in $(curl -sf --max-time 5 "$(rest_url)/jobs" 2>/dev/null |
      jq -r '.jobs[] | select(.status == "RUNNING" or .status == "RESTARTING" or .status == "CREATED") | .id' 2>/dev/null || true); do
      log "cancelling job $id"
      curl -sf --max-time 5 -X PATCH "$(rest_url)/jobs/$id?mode=cancel" >/dev/null || true
    done
    for id in $(seq 50); do
      curl -sf --max-time 2 "$(rest_url)/jobs" 2>/dev/null |
        jq -e '[.jobs[] | select(.status == "RUNNING" or .status == "RESTARTING" or .status == "CANCELLING" or .status == "CREATED")] | length == 0' \
          >/dev/null 2>&1 && break
      sleep 0.2
    done
  fi
  local -a tms=()
  local n
  for n in $(process_names); do
    [[ "$n" == taskmanager-* ]] && tms+=("$n")
  done
  # the TaskManagers, then the JobManager, then the broker the jobs wrote to
  [[ ${#tms[@]} -eq 0 ]] || stop_processes TERM "${tms[@]}"
  stop_processes TERM jobmanager
  stop_processes TERM kafka
  echo "Stopped. Work folder (logs, data): $DIR"
}

cmd_status() {
  local n pid any=1
  for n in $(process_names); do
    if pid="$(alive_pid "$n")"; then
      echo "$n: running (pid $pid)"
      any=0
    else
      echo "$n: not running"
    fi
  done
  [[ -f "$DIR/cluster.env" ]] || {
    echo "no cluster in $DIR"
    return 3
  }
  load_env
  cmd_env_lines
  if curl -sf --max-time 3 "$(rest_url)/overview" >/dev/null 2>&1; then
    curl -sf --max-time 3 "$(rest_url)/overview" |
      jq -r '"Flink \(."flink-version"): \(.taskmanagers) TaskManagers, \(."slots-available")/\(."slots-total") slots free, jobs running \(."jobs-running")"'
    curl -sf --max-time 3 "$(rest_url)/jobs/overview" |
      jq -r '.jobs[] | "job \(.jid) \(.name) \(.state)"'
  else
    echo "the REST API at $(rest_url) does not answer"
  fi
  return $any
}

cmd_upload() {
  [[ $# -eq 1 && -f "$1" ]] || die "upload needs a jar file, got: $*"
  load_env
  local answer id
  answer="$(curl -sS --max-time 300 -X POST -H "Expect:" -F "jarfile=@$1" "$(rest_url)/jars/upload")" ||
    die "uploading $1 failed"
  id="$(jq -r 'select(.status == "success") | .filename' <<<"$answer" 2>/dev/null || true)"
  [[ -n "$id" ]] || die "uploading $1 failed: $answer"
  echo "JAR ${id##*/}"
}

cmd_run() {
  local entry="$ENTRY_CLASS_DEFAULT" parallelism=2
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --class) entry="$2"; shift 2 ;;
      --parallelism) parallelism="$2"; shift 2 ;;
      *) break ;;
    esac
  done
  [[ $# -ge 1 ]] || die "run needs a jar id"
  load_env
  local jar_id="$1" body answer job
  shift
  # the arguments as a JSON array, whatever characters they hold
  local args="[]" a
  for a in "$@"; do
    args="$(jq -c --arg a "$a" '. + [$a]' <<<"$args")"
  done
  body="$(jq -n --arg entry "$entry" --argjson p "$parallelism" --argjson args "$args" \
    '{entryClass: $entry, parallelism: $p, programArgsList: $args}')"
  answer="$(curl -sS --max-time 300 -X POST -H 'Content-Type: application/json' -d "$body" \
    "$(rest_url)/jars/$jar_id/run")" || die "running jar $jar_id failed"
  job="$(jq -r '.jobid // empty' <<<"$answer" 2>/dev/null || true)"
  if [[ -z "$job" ]]; then
    # the answer holds the whole stack trace: keep it, show its innermost cause
    printf '%s\n' "$answer" >"$DIR/log/run-failed.json"
    die "running jar $jar_id failed: $(jq -r '.errors[]?' <<<"$answer" 2>/dev/null |
      grep -E '^(Caused by: )?[a-z.]+[A-Za-z]*(Exception|Error)' | tail -1) (whole answer in $DIR/log/run-failed.json)"
  fi
  echo "JOB $job"
}

cmd_submit() {
  local -a run_opts=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --class | --parallelism) run_opts+=("$1" "$2"); shift 2 ;;
      *) break ;;
    esac
  done
  [[ $# -ge 1 ]] || die "submit needs a jar file"
  local jar="$1" id
  shift
  id="$(cmd_upload "$jar")"
  echo "$id"
  cmd_run "${run_opts[@]}" "${id#JAR }" "$@"
}

cmd_taskmanager() {
  [[ $# -eq 2 ]] || die "taskmanager needs start|stop|kill and an id"
  local name="taskmanager-$2"
  case "$1" in
    start)
      load_env
      resolve_classpaths
      start_taskmanager "$2"
      await 120 "$name to register" taskmanager_registered "$name"
      echo "$name: running (pid $(alive_pid "$name"))"
      ;;
    stop) stop_processes TERM "$name" ;;
    kill)
      local pid
      pid="$(alive_pid "$name")" || die "$name is not running"
      kill -KILL "$pid"
      rm -f "$(pid_file "$name")"
      echo "$name: killed (pid $pid, SIGKILL)"
      ;;
    *) die "taskmanager needs start|stop|kill, got $1" ;;
  esac
}

cmd_kafka() {
  [[ $# -ge 1 ]] || die "kafka needs a tool: topics, console-producer or console-consumer"
  local class
  case "$1" in
    kill)
      local pid
      pid="$(alive_pid kafka)" || die "kafka is not running"
      kill -KILL "$pid"
      rm -f "$(pid_file kafka)"
      echo "kafka: killed (pid $pid, SIGKILL)"
      return
      ;;
    start)
      load_env
      resolve_classpaths
      start_kafka
      await 120 "the Kafka broker to answer" kafka_ready
      echo "kafka: running (pid $(alive_pid kafka))"
      return
      ;;
    topics) class=org.apache.kafka.tools.TopicCommand ;;
    console-producer) class=org.apache.kafka.tools.ConsoleProducer ;;
    console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    *) die "unknown Kafka tool '$1': topics, console-producer or console-consumer" ;;
  esac
  shift
  load_env
  KAFKA_CP="$(cat "$DIR/classpath/kafka.cp")"
  exec "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -Djava.io.tmpdir="$DIR/tmp" \
    -Dlog4j2.configurationFile="$DIR/conf/kafka/log4j2-tools.properties" \
    -cp "$KAFKA_CP" "$class" --bootstrap-server "localhost:$KAFKA_PORT" "$@"
}

cmd_clean() {
  local n
  for n in $(process_names); do
    alive_pid "$n" >/dev/null && die "$n is running in $DIR; stop first"
  done
  rm -rf "$DIR"
  echo "Deleted $DIR"
}

# ------------------------------------------------------------------ main

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --taskmanagers) TASKMANAGERS="$2"; shift 2 ;;
    --slots) SLOTS="$2"; shift 2 ;;
    --conf) CONF_OVERRIDES+=("$2"); shift 2 ;;
    -h | --help | help) usage; exit 0 ;;
    -*) die "unknown option $1 (see $0 --help)" ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { usage; exit 2; }
mkdir -p "$(dirname "$DIR")"
DIR="$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")"

command="$1"
shift
case "$command" in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  submit) cmd_submit "$@" ;;
  upload) cmd_upload "$@" ;;
  run) cmd_run "$@" ;;
  taskmanager) cmd_taskmanager "$@" ;;
  kafka) cmd_kafka "$@" ;;
  env) cmd_env "$@" ;;
  clean) cmd_clean "$@" ;;
  *) die "unknown command '$command' (see $0 --help)" ;;
esac
