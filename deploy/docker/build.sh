#!/usr/bin/env bash
# Builds the TTT-Video Flink images: the jars with Maven first, then one Docker build context per
# variant, then `docker build` with the versions of the build as build arguments.
#
#   deploy/docker/build.sh [--variant cpu|gpu|all] [--image NAME] [--no-docker] [--push]
#
#   --variant   cpu: Dockerfile on flink:<flink>-java<java> with ND4J's CPU backend (default)
#               gpu: Dockerfile.gpu on a CUDA 11.8 cuDNN 8 runtime with ND4J's CUDA 11.6 backend
#                    (Maven profile cuda; downloads the 573 MB backend once)
#   --image     image name without tag (default ttt-video/flink); tags are <project version> and
#               <project version>-cuda11.6
#   --no-docker build the jars and stage the contexts only (deploy/docker/target-images/<variant>)
#   --push      docker push the tags after building
#
# Each context holds: lib/ (ND4J, JavaCPP, OpenBLAS or CUDA bindings, FFmpeg, JavaCV and what they
# need that Flink's lib/ lacks), usrlib/ (the cluster jar without what lib/ provides) and tools/
# (WarmNatives, compiled here). Maven writes to its own folders (target-docker, target-docker-cuda)
# and never installs anything.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/docker"
VARIANT=cpu
IMAGE=ttt-video/flink
DOCKER=1
PUSH=0
# The tag suffix of the GPU image; deploy/k8s/flink-deployment.yaml uses it (checked by the tests).
GPU_TAG_SUFFIX=-cuda11.6

while [ $# -gt 0 ]; do
  case "$1" in
    --variant) VARIANT=$2; shift 2 ;;
    --image) IMAGE=$2; shift 2 ;;
    --no-docker) DOCKER=0; shift ;;
    --push) PUSH=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$VARIANT" in
  cpu|gpu) VARIANTS=("$VARIANT") ;;
  all) VARIANTS=(cpu gpu) ;;
  *) echo "build.sh: --variant is '$VARIANT'; allowed are cpu, gpu, all" >&2; exit 2 ;;
esac

# Versions come from the build itself: the root pom's properties and the project version.
pom_property() {
  local v
  v=$(sed -n "s:.*<$1>\([^<]*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1)
  [ -n "$v" ] || { echo "build.sh: no <$1> in $ROOT/pom.xml" >&2; exit 1; }
  printf '%s' "$v"
}
PROJECT_VERSION=$(sed -n '/<artifactId>ttt-video-parent<\/artifactId>/,/<\/version>/s:.*<version>\([^<]*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
FLINK_VERSION=$(pom_property flink.version)
JAVA_VERSION=$(pom_property maven.compiler.release)
JOB_JAR="ttt-video-jobs-$PROJECT_VERSION-cluster.jar"
echo "build.sh: project $PROJECT_VERSION, Flink $FLINK_VERSION, Java $JAVA_VERSION, variants ${VARIANTS[*]}"

# What goes to Flink's lib/: the runtime closure of ND4J's backend and of JavaCV/FFmpeg, as the
# jobs module resolves it (the versions inside the cluster jar), minus what Flink's own lib/ has
# (commons-lang3/-io/-compress/-math3/-text, slf4j are in flink-dist). Keep in step with
# `mvn -pl model dependency:tree`.
NATIVE_GROUPS=org.nd4j,org.bytedeco,com.google.flatbuffers,com.github.oshi,net.java.dev.jna,org.threeten,com.jakewharton.byteunits,commons-net,net.ericaro,commons-codec,org.apache.commons
FLINK_PROVIDED=commons-lang3,commons-math3,commons-compress,commons-text

build_variant() {
  local variant=$1 profiles build_dir dockerfile tag
  case "$variant" in
    cpu) profiles=cluster-jar; build_dir=target-docker; dockerfile=Dockerfile; tag=$PROJECT_VERSION ;;
    gpu) profiles=cluster-jar,cuda; build_dir=target-docker-cuda; dockerfile=Dockerfile.gpu
         tag=$PROJECT_VERSION$GPU_TAG_SUFFIX ;;
  esac
  local ctx="$HERE/target-images/$variant"

  echo "build.sh [$variant]: mvn -P $profiles package (jobs and the modules it needs)"
  (cd "$ROOT" && mvn -B -q -pl jobs -am -P "$profiles" -DskipTests \
      -Dbuild.dir.name="$build_dir" \
      -DincludeScope=runtime -DincludeGroupIds="$NATIVE_GROUPS" \
      -DexcludeArtifactIds="$FLINK_PROVIDED" \
      package dependency:copy-dependencies)

  # copy-dependencies ran in every module of the reactor; only jobs' copy (its resolution, the one
  # inside the cluster jar) is used. The others hold up to 600 MB each with the CUDA backend.
  for m in "$ROOT"/*/"$build_dir"/dependency; do
    case "$m" in "$ROOT/jobs/"*) ;; *) rm -rf "$m" ;; esac
  done
  local jobs_out="$ROOT/jobs/$build_dir"
  [ -f "$jobs_out/$JOB_JAR" ] || { echo "build.sh: $jobs_out/$JOB_JAR was not built" >&2; exit 1; }
  rm -rf "$ctx"
  mkdir -p "$ctx/lib" "$ctx/usrlib" "$ctx/tools"
  cp "$jobs_out/dependency/"*.jar "$ctx/lib/"
  if [ "$variant" = gpu ] && ls "$ctx/lib/" | grep -q '^nd4j-native-[0-9]'; then
    echo "build.sh: the gpu context has nd4j-native jars; the cuda profile did not apply" >&2; exit 1
  fi
  java "$HERE/tools/StripProvided.java" "$jobs_out/$JOB_JAR" "$ctx/lib" "$ctx/usrlib/$JOB_JAR"
  javac --release "$JAVA_VERSION" -cp "$(ls "$ctx"/lib/javacpp-*.jar | grep -v -- '-linux-' | head -n 1)" \
      -d "$ctx/tools" "$HERE/tools/WarmNatives.java"
  echo "build.sh [$variant]: context $ctx: lib $(du -sh "$ctx/lib" | cut -f1), usrlib $(du -sh "$ctx/usrlib" | cut -f1)"

  if [ "$DOCKER" = 1 ]; then
    docker build -f "$HERE/$dockerfile" \
      --build-arg FLINK_VERSION="$FLINK_VERSION" \
      --build-arg JAVA_VERSION="$JAVA_VERSION" \
      --build-arg PROJECT_VERSION="$PROJECT_VERSION" \
      -t "$IMAGE:$tag" "$ctx"
    if [ "$PUSH" = 1 ]; then docker push "$IMAGE:$tag"; fi
    echo "build.sh [$variant]: built $IMAGE:$tag"
  fi
}

for v in "${VARIANTS[@]}"; do build_variant "$v"; done
