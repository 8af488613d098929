# syntax=docker/dockerfile:1
# The Ferry image: `ferry api`, `ferry data-manager` and the operator commands, from the production jar
# (cli/target/ferry.jar, no embedded broker). Build it from the repository root:
#   docker build -t ferry:0.1.0 .
# It runs as the unprivileged user `ferry` (uid 10001), which is what an api-gateway needs. A data node runs as
# root (`user: root` in compose, `runAsUser: 0` in Kubernetes): it mounts exports and keeps files' owners.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Maven reads every module's pom even when it builds only the production jar's modules
COPY pom.xml ./
COPY dev/pom.xml dev/
COPY it-tests/pom.xml it-tests/
COPY bench/pom.xml bench/
COPY messages messages
COPY backup-drivers backup-drivers
COPY data-manager data-manager
COPY api-gateway api-gateway
COPY cli cli
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl cli -am package

FROM eclipse-temurin:17-jre
# nfs-common: mount.nfs for data nodes that mount NFS exports; curl: the health checks of compose
RUN apt-get update \
    && apt-get install -y --no-install-recommends nfs-common curl \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 ferry \
    && useradd --system --uid 10001 --gid ferry --home-dir /var/lib/ferry --shell /usr/sbin/nologin ferry \
    && mkdir -p /var/lib/ferry/mnt /etc/ferry \
    && chown ferry:ferry /var/lib/ferry
COPY --from=build /src/cli/target/ferry.jar /opt/ferry/ferry.jar
COPY --chmod=0755 deploy/image/ferry /usr/local/bin/ferry
# the JVM sizes its heap from the container's memory limit
ENV FERRY_JAVA_OPTS="-XX:MaxRAMPercentage=70"
WORKDIR /var/lib/ferry
USER ferry
# 8786: the API; 8787: the api-gateway's management port (/metrics, /healthz, /readyz); 8788: a data node's
EXPOSE 8786 8787 8788
ENTRYPOINT ["ferry"]
CMD ["--help"]
