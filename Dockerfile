# The injector image of deploy/k8s/ (docs/scaling-out.md, "Kubernetes"): JDK 17, Maven, the project,
# and every dependency and plugin a run needs already in the image's Maven repository, so pods run
# `mvn -o ...` with no network access to a Maven registry. Not built by the tests.
#
#   docker build -t llm-serving-bench:latest .
#   docker tag llm-serving-bench:latest registry.example.com/llm-serving-bench:0.1.0   # then push
FROM maven:3.9-eclipse-temurin-17

WORKDIR /app
# Maven's repository at a path of its own (Maven 3.9 appends MAVEN_ARGS to every command), so no VOLUME of a
# base image over ~/.m2 can drop what the build steps below put there.
ENV MAVEN_ARGS=-Dmaven.repo.local=/opt/m2/repository

# The POM first, alone: the dependency layer is rebuilt only when the POM changes, not on every edit.
COPY pom.xml .
RUN mvn -q -B dependency:go-offline

COPY . .
# Online once, here: compile the project and the simulations, and fetch what go-offline misses (what a
# plugin resolves only when its goal runs): the default smoke simulation against the embedded emulator,
# and the merge command, whose usage line exits with 2. Then the same two offline, as the pods run them:
# if anything is still missing the build fails here, not in a pod.
RUN mvn -q -B test-compile dependency:go-offline \
 && mvn -q -B gatling:test -Dbaseline.compare=false \
 && { mvn -q -B exec:java@merge; test $? -eq 2; } \
 && mvn -o -q -B gatling:test -Dbaseline.compare=false \
 && { mvn -o -q -B exec:java@merge; test $? -eq 2; } \
 && rm -rf target/gatling reports/*/

# Run as a Job's command: deploy/k8s/shards-job.yaml, merge-job.yaml, score-job.yaml.
CMD ["mvn", "-o", "-B", "gatling:test"]
