{{/* Chart name (nameOverride wins). */}}
{{- define "routewatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource-name prefix; components append -collector, -state, -alert, -postgresql (<= 52 chars so suffixes fit 63). */}}
{{- define "routewatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "routewatch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "routewatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: routewatch
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: call with (dict "root" $ "component" "state"). */}}
{{- define "routewatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "routewatch.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* All labels of one component's objects. */}}
{{- define "routewatch.componentLabels" -}}
{{ include "routewatch.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "routewatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "routewatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image of a service: (dict "root" $ "component" "collector" "values" .Values.collector). */}}
{{- define "routewatch.image" -}}
{{- $root := .root }}
{{- $suffix := ternary "-native" "" (eq $root.Values.image.flavor "native") }}
{{- $repo := .values.image.repository | default (printf "%s/%s-%s" $root.Values.image.registry $root.Values.image.repository .component) }}
{{- $tag := .values.image.tag | default (printf "%s%s" ($root.Values.image.tag | default $root.Chart.AppVersion) $suffix) }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}

{{/* The image's own user: 185 in ubi9 OpenJDK (jvm), 1001 in the Quarkus micro image (native). */}}
{{- define "routewatch.podSecurityContext" -}}
{{- $uid := ternary 1001 185 (eq .Values.image.flavor "native") }}
{{- $ctx := dict "runAsUser" $uid "runAsGroup" $uid "fsGroup" $uid }}
{{- toYaml (mergeOverwrite $ctx (deepCopy .Values.podSecurityContext)) }}
{{- end }}

{{/* Property form -> env form (MicroProfile Config rule: non-alphanumerics become _, upper case). */}}
{{- define "routewatch.envName" -}}
{{- /* Named TLS configurations stay in property form (Kubernetes allows dots and dashes in env
names): in env form SmallRye Config cannot tell the name "routewatch" from a property segment and
ignores QUARKUS_TLS_ROUTEWATCH_KEY_STORE_PEM_0_CERT (seen in e2e SecurityIT). */}}
{{- if hasPrefix "quarkus.tls." . }}{{ . }}{{- else }}{{ regexReplaceAll "[^A-Za-z0-9]" . "_" | upper }}{{- end }}
{{- end }}

{{/* ConfigMap data from property maps (later maps win): (list map1 map2 ...). */}}
{{- define "routewatch.configData" -}}
{{- $merged := dict }}
{{- range . }}
{{- range $k, $v := . }}
{{- $_ := set $merged (include "routewatch.envName" $k) (toString $v) }}
{{- end }}
{{- end }}
{{- range $k := keys $merged | sortAlpha }}
{{ $k }}: {{ get $merged $k | quote }}
{{- end }}
{{- end }}

{{- define "routewatch.tlsSecretName" -}}
{{- .Values.tls.secretName | default (printf "%s-tls" (include "routewatch.fullname" .)) }}
{{- end }}

{{/* Quarkus TLS registry properties shared by the three services (configuration "routewatch"). */}}
{{- define "routewatch.tlsConfig" -}}
{{- if .Values.tls.enabled }}
{{- $d := dict }}
{{- $_ := set $d "quarkus.tls.routewatch.key-store.pem.0.cert" "/etc/routewatch/tls/tls.crt" }}
{{- $_ := set $d "quarkus.tls.routewatch.key-store.pem.0.key" "/etc/routewatch/tls/tls.key" }}
{{- $_ := set $d "quarkus.tls.routewatch.trust-store.pem.certs" "/etc/routewatch/tls/ca.crt" }}
{{- $_ := set $d "quarkus.tls.routewatch.reload-period" "1h" }}
{{- $_ := set $d "quarkus.http.tls-configuration-name" "routewatch" }}
{{- $_ := set $d "quarkus.http.insecure-requests" "disabled" }}
{{- $_ := set $d "quarkus.http.ssl.client-auth" .Values.tls.clientAuth }}
{{- toYaml $d }}
{{- else }}
{{- toYaml dict }}
{{- end }}
{{- end }}

{{/*
The service port. With TLS, Quarkus serves HTTPS on quarkus.http.ssl-port, so that becomes the
container port; the plain listener is disabled (insecure-requests=disabled) and its port is moved
out of the way (+1000) so the two can never collide. Call with (dict "root" $ "port" 8082).
*/}}
{{- define "routewatch.httpPorts" -}}
{{- if .root.Values.tls.enabled }}
{{- toYaml (dict "quarkus.http.ssl-port" (toString .port) "quarkus.http.port" (toString (add .port 1000))) }}
{{- else }}
{{- toYaml (dict "quarkus.http.port" (toString .port)) }}
{{- end }}
{{- end }}

{{/* The gRPC client link to state (collector and alert). */}}
{{- define "routewatch.stateClientConfig" -}}
{{- $d := dict "quarkus.grpc.clients.state.host" (printf "%s-state" (include "routewatch.fullname" .)) "quarkus.grpc.clients.state.port" (toString .Values.state.service.grpcPort) }}
{{- if .Values.tls.enabled }}
{{- $_ := set $d "quarkus.grpc.clients.state.plain-text" "false" }}
{{- /* grpc-java (Netty) client, the default: it reads ssl.*, not tls-configuration-name (that is the Vert.x client's). */}}
{{- $_ := set $d "quarkus.grpc.clients.state.ssl.trust-store" "/etc/routewatch/tls/ca.crt" }}
{{- if ne .Values.tls.clientAuth "NONE" }}
{{- /* mTLS: present the pod's own certificate (the cert-manager Certificate has client usage). */}}
{{- $_ := set $d "quarkus.grpc.clients.state.ssl.certificate" "/etc/routewatch/tls/tls.crt" }}
{{- $_ := set $d "quarkus.grpc.clients.state.ssl.key" "/etc/routewatch/tls/tls.key" }}
{{- end }}
{{- end }}
{{- toYaml $d }}
{{- end }}

{{/* Database connection properties (state and alert). */}}
{{- define "routewatch.dbConfig" -}}
{{- $url := .Values.database.external.url }}
{{- if eq .Values.database.mode "internal" }}
{{- $url = printf "jdbc:postgresql://%s-postgresql:5432/%s" (include "routewatch.fullname" .) .Values.database.internal.database }}
{{- end }}
{{- toYaml (dict "quarkus.datasource.jdbc.url" $url) }}
{{- end }}

{{/* Env entries for the DB user and password (from the chart's Secret or an existing one). */}}
{{- define "routewatch.dbEnv" -}}
{{- $fullname := include "routewatch.fullname" . }}
{{- if eq .Values.database.mode "internal" }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $fullname }}-postgresql
      key: POSTGRES_USER
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $fullname }}-postgresql
      key: POSTGRES_PASSWORD
{{- else if .Values.database.external.existingSecret }}
{{- with .Values.database.external }}
- name: QUARKUS_DATASOURCE_USERNAME
{{- if .usernameKey }}
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .usernameKey }}
{{- else }}
  value: {{ .username | quote }}
{{- end }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .passwordKey }}
{{- end }}
{{- else }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $fullname }}-db
      key: QUARKUS_DATASOURCE_USERNAME
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $fullname }}-db
      key: QUARKUS_DATASOURCE_PASSWORD
{{- end }}
{{- end }}

{{/* Env entries for the API token and the role tokens (client-facing gRPC and REST). */}}
{{- define "routewatch.apiTokenEnv" -}}
{{- if .Values.apiToken.enabled }}
- name: ROUTEWATCH_SECURITY_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.apiToken.existingSecret | default (printf "%s-api-token" (include "routewatch.fullname" .)) }}
      key: {{ .Values.apiToken.key }}
{{- end }}
{{- if .Values.roleTokens.enabled }}
{{- range $role := list "read" "ingest" "admin" }}
- name: ROUTEWATCH_SECURITY_TOKENS_{{ upper $role }}
  valueFrom:
    secretKeyRef:
      name: {{ include "routewatch.roleTokenSecret" (dict "root" $ "role" $role) }}
      key: token
{{- end }}
{{- end }}
{{- end }}

{{/* The Secret of one role's token: (dict "root" $ "role" "read"). */}}
{{- define "routewatch.roleTokenSecret" -}}
{{- get .root.Values.roleTokens.existingSecrets .role | default (printf "%s-token-%s" (include "routewatch.fullname" .root) .role) }}
{{- end }}

{{/*
Pod template of a routewatch service.
Call with (dict "root" $ "component" "state" "values" .Values.state "checksum" <config checksum>
               "env" <extra env yaml list> "ports" <extra container ports yaml list>).
*/}}
{{- define "routewatch.podTemplate" -}}
{{- $root := .root }}
{{- $v := .values }}
{{- $fullname := include "routewatch.fullname" $root }}
{{- $probes := mergeOverwrite (deepCopy $root.Values.probes) (deepCopy $v.probes) }}
{{- $scheme := ternary "HTTPS" "HTTP" $root.Values.tls.enabled }}
{{- $tcpProbes := and $root.Values.tls.enabled (eq $root.Values.tls.clientAuth "REQUIRED") }}
metadata:
  labels:
    {{- include "routewatch.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
    {{- with $v.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ .checksum }}
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "routewatch.serviceAccountName" $root }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- include "routewatch.podSecurityContext" $root | nindent 4 }}
  terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds | default 60 }}
  containers:
    - name: {{ .component }}
      image: {{ include "routewatch.image" . }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ $v.containerPort }}
          protocol: TCP
        {{- with .ports }}
        {{- . | trim | nindent 8 }}
        {{- end }}
      envFrom:
        - configMapRef:
            name: {{ $fullname }}-{{ .component }}
      env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        {{- if eq $root.Values.image.flavor "jvm" }}
        - name: JAVA_OPTS_APPEND
          value: {{ $root.Values.jvm.optsAppend | quote }}
        {{- end }}
        {{- with .env }}
        {{- . | trim | nindent 8 }}
        {{- end }}
        {{- with (include "routewatch.apiTokenEnv" $root | trim) }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with $v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if $tcpProbes }}
      startupProbe:
        tcpSocket:
          port: http
        {{- toYaml $probes.startup | nindent 8 }}
      readinessProbe:
        tcpSocket:
          port: http
        {{- toYaml $probes.readiness | nindent 8 }}
      livenessProbe:
        tcpSocket:
          port: http
        {{- toYaml $probes.liveness | nindent 8 }}
      {{- else }}
      startupProbe:
        httpGet:
          path: /q/health/started
          port: http
          scheme: {{ $scheme }}
        {{- toYaml $probes.startup | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /q/health/ready
          port: http
          scheme: {{ $scheme }}
        {{- toYaml $probes.readiness | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /q/health/live
          port: http
          scheme: {{ $scheme }}
        {{- toYaml $probes.liveness | nindent 8 }}
      {{- end }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      volumeMounts:
        # Read-only root filesystem: the JVM, Vert.x and Netty write only under /tmp.
        - name: tmp
          mountPath: /tmp
        {{- if $root.Values.tls.enabled }}
        - name: tls
          mountPath: /etc/routewatch/tls
          readOnly: true
        {{- end }}
        {{- with .mounts }}
        {{- . | trim | nindent 8 }}
        {{- end }}
        {{- with $v.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
    {{- if $root.Values.tls.enabled }}
    - name: tls
      secret:
        secretName: {{ include "routewatch.tlsSecretName" $root }}
    {{- end }}
    {{- with .volumes }}
    {{- . | trim | nindent 4 }}
    {{- end }}
    {{- with $v.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $v.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* API Service ports (gRPC + REST on the one container port). */}}
{{- define "routewatch.apiPorts" -}}
- name: grpc
  port: {{ .service.grpcPort }}
  targetPort: http
  protocol: TCP
  appProtocol: grpc
- name: http
  port: {{ .service.httpPort }}
  targetPort: http
  protocol: TCP
  appProtocol: {{ ternary "https" "http" .tls }}
{{- end }}

{{/* NetworkPolicy peers always allowed on a component's API port. */}}
{{- define "routewatch.apiPeers" -}}
- podSelector:
    matchLabels:
      routewatch-client: "true"
{{- with .Values.networkPolicy.apiFrom }}
{{ toYaml . }}
{{- end }}
{{- with .Values.networkPolicy.metricsFrom }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
State shards (scale-out, state.replicas > 1): "name=host:port" of every StatefulSet pod by its
stable DNS name behind the headless Service, comma-separated. The collector routes each event to
its shard by consistent hashing over these names; each state instance merges cross-shard queries.
*/}}
{{- define "routewatch.stateShards" -}}
{{- $fullname := include "routewatch.fullname" . }}
{{- $list := list }}
{{- range $i := until (int .Values.state.replicas) }}
{{- $name := printf "%s-state-%d" $fullname $i }}
{{- $list = append $list (printf "%s=%s.%s-state-headless.%s.svc:%d" $name $name $fullname $.Release.Namespace (int $.Values.state.containerPort)) }}
{{- end }}
{{- join "," $list }}
{{- end }}

{{/*
BGP neighbours from values (a list of maps) in the form the collector parses
(routewatch.collector.bgp.neighbors: entries joined by ",", key=value pairs by ";").
*/}}
{{- define "routewatch.bgpNeighbors" -}}
{{- $out := list }}
{{- range . }}
{{- $e := list (printf "address=%s" .address) (printf "asn=%d" (int64 .asn)) (printf "name=%s" (.name | default .address)) }}
{{- if .maxPrefix }}
{{- $e = append $e (printf "max-prefix=%d" (int64 .maxPrefix)) }}
{{- $e = append $e (printf "max-prefix-action=%s" (.maxPrefixAction | default "close")) }}
{{- end }}
{{- $out = append $out (join ";" $e) }}
{{- end }}
{{- join "," $out }}
{{- end }}

{{/* URL scheme of the services' REST ports. */}}
{{- define "routewatch.scheme" -}}
{{- ternary "https" "http" .Values.tls.enabled }}
{{- end }}

{{/* routewatch.security.* shared by the three services. */}}
{{- define "routewatch.securityConfig" -}}
{{- if .Values.security.insecure }}
{{- toYaml (dict "routewatch.security.insecure" "true") }}
{{- else }}
{{- toYaml dict }}
{{- end }}
{{- end }}
