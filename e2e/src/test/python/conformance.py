#!/usr/bin/python3
"""A third-party client of routewatch's gRPC contract, in another language, from reflection only.

Issue 16: a client that has nothing but the servers' reflection descriptors (no .proto files, no
generated code) lists the services, queries state, subscribes to the change stream and resumes it
without gap or duplicate, streams alerts, and makes 100 consecutive calls to each port after idle
spells. Run by e2e ClientConformanceIT against a stack it started; every check prints one line
("ok ..." or "FAIL ..."), the exit code is the number of failures (capped at 100).

Needs Debian's python3-grpcio and python3-protobuf (scripts/deps.sh test installs them).
"""
import argparse
import json
import sys
import urllib.request
import threading
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


# --- gRPC server reflection (grpc.reflection.v1alpha), described here by hand ------------------
# Only the fields this client uses. proto2 "optional" keeps presence, so list_services = "" is sent.
def _reflection_pool():
    f = descriptor_pb2.FileDescriptorProto(
        name="conformance/reflection.proto", package="grpc.reflection.v1alpha", syntax="proto2")
    T = descriptor_pb2.FieldDescriptorProto
    OPT, REP = T.LABEL_OPTIONAL, T.LABEL_REPEATED

    def msg(name, *fields):
        m = f.message_type.add(name=name)
        for (fname, num, ftype, label, tname) in fields:
            fd = m.field.add(name=fname, number=num, type=ftype, label=label)
            if tname:
                fd.type_name = ".grpc.reflection.v1alpha." + tname

    msg("ServerReflectionRequest",
        ("host", 1, T.TYPE_STRING, OPT, None),
        ("file_by_filename", 3, T.TYPE_STRING, OPT, None),
        ("file_containing_symbol", 4, T.TYPE_STRING, OPT, None),
        ("list_services", 7, T.TYPE_STRING, OPT, None))
    msg("FileDescriptorResponse", ("file_descriptor_proto", 1, T.TYPE_BYTES, REP, None))
    msg("ServiceResponse", ("name", 1, T.TYPE_STRING, OPT, None))
    msg("ListServiceResponse", ("service", 1, T.TYPE_MESSAGE, REP, "ServiceResponse"))
    msg("ErrorResponse",
        ("error_code", 1, T.TYPE_INT32, OPT, None),
        ("error_message", 2, T.TYPE_STRING, OPT, None))
    msg("ServerReflectionResponse",
        ("valid_host", 1, T.TYPE_STRING, OPT, None),
        ("original_request", 2, T.TYPE_MESSAGE, OPT, "ServerReflectionRequest"),
        ("file_descriptor_response", 4, T.TYPE_MESSAGE, OPT, "FileDescriptorResponse"),
        ("list_services_response", 6, T.TYPE_MESSAGE, OPT, "ListServiceResponse"),
        ("error_response", 7, T.TYPE_MESSAGE, OPT, "ErrorResponse"))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    fac = message_factory.MessageFactory(pool)
    get = lambda n: fac.GetPrototype(pool.FindMessageTypeByName("grpc.reflection.v1alpha." + n))
    return get("ServerReflectionRequest"), get("ServerReflectionResponse")


ReflReq, ReflResp = _reflection_pool()


class Port:
    """One server port: its channel, its reflected services and their message classes."""

    def __init__(self, name, target, token):
        self.name = name
        self.channel = grpc.insecure_channel(target)
        self.metadata = [("authorization", "Bearer " + token)] if token else None
        self.pool = descriptor_pool.DescriptorPool()
        self.factory = message_factory.MessageFactory(self.pool)
        self.files = set()
        self._refl = self.channel.stream_stream(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
            request_serializer=ReflReq.SerializeToString,
            response_deserializer=ReflResp.FromString)

    def reflect(self, req):
        out = list(self._refl(iter([req]), timeout=10, metadata=self.metadata))
        if len(out) != 1:
            raise RuntimeError("reflection: %d responses" % len(out))
        r = out[0]
        if r.HasField("error_response"):
            raise RuntimeError("reflection error %d: %s" % (
                r.error_response.error_code, r.error_response.error_message))
        return r

    def services(self):
        return sorted(s.name for s in
                      self.reflect(ReflReq(list_services="")).list_services_response.service)

    def load(self, symbol):
        """Adds the file defining symbol, and what it imports, to this port's pool."""
        r = self.reflect(ReflReq(file_containing_symbol=symbol))
        protos = [descriptor_pb2.FileDescriptorProto.FromString(b)
                  for b in r.file_descriptor_response.file_descriptor_proto]
        by_name = {p.name: p for p in protos}

        def add(p):
            if p.name in self.files:
                return
            for dep in p.dependency:
                if dep in by_name:
                    add(by_name[dep])
                elif dep not in self.files:
                    add(descriptor_pb2.FileDescriptorProto.FromString(
                        self.reflect(ReflReq(file_by_filename=dep))
                        .file_descriptor_response.file_descriptor_proto[0]))
            self.pool.Add(p)
            self.files.add(p.name)

        for p in protos:
            add(p)
        return self.pool.FindServiceByName(symbol)

    def message(self, full_name):
        return self.factory.GetPrototype(self.pool.FindMessageTypeByName(full_name))

    def method(self, service, name):
        """A callable for service/name, built from the reflected descriptor only."""
        sd = self.pool.FindServiceByName(service)
        md = sd.methods_by_name[name]
        req = self.factory.GetPrototype(md.input_type)
        resp = self.factory.GetPrototype(md.output_type)
        path = "/%s/%s" % (service, name)
        kind = (self.channel.unary_stream if md.server_streaming else self.channel.unary_unary)
        call = kind(path, request_serializer=req.SerializeToString,
                    response_deserializer=resp.FromString)
        return req, call


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--alert", required=True)
    ap.add_argument("--collector", required=True)
    ap.add_argument("--token", default="")
    ap.add_argument("--asn", type=int, required=True, help="an origin state holds")
    ap.add_argument("--upstream", type=int, required=True, help="one of its upstreams")
    ap.add_argument("--watch-asn", type=int, required=True,
                    help="an origin whose watch entry makes alerts (added by this client)")
    ap.add_argument("--idle-spells", type=int, default=3)
    ap.add_argument("--idle-seconds", type=float, default=20)
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--changes", type=int, default=40,
                    help="changes to read before resuming (the journal must hold more)")
    a = ap.parse_args()
    ports = {n: Port(n, t, a.token) for n, t in
             (("state", a.state), ("alert", a.alert), ("collector", a.collector))}
    md = ports["state"].metadata

    # 1. Services, from reflection only
    want = {"state": ["routewatch.v1.StateChanges", "routewatch.v1.StateQuery"],
            "alert": ["routewatch.v1.AlertService"],
            "collector": ["routewatch.v1.ImportService"]}
    for n, p in ports.items():
        names = p.services()
        check(all(w in names for w in want[n]),
              "%s lists %s" % (n, ", ".join(x for x in names if x.startswith("routewatch"))))
        for w in want[n]:
            sd = p.load(w)
            check(len(sd.methods) > 0, "%s: %s has %d methods: %s" % (
                n, w, len(sd.methods), ", ".join(m.name for m in sd.methods)))

    st = ports["state"]
    # 2. Queries
    Req, get_stats = st.method("routewatch.v1.StateQuery", "GetStats")
    stats = get_stats(Req(), timeout=10, metadata=md)
    check(stats.routes > 0, "GetStats: %d routes, %d vantage points" % (
        stats.routes, getattr(stats, "vantage_points", 0)))
    Req, get_up = st.method("routewatch.v1.StateQuery", "GetUpstreams")
    up = get_up(Req(asn=a.asn), timeout=10, metadata=md)
    ups = {u.asn: u.vp_share for u in up.upstreams}
    check(a.upstream in ups, "GetUpstreams(AS%d): %s" % (
        a.asn, ", ".join("AS%d %.2f" % kv for kv in sorted(ups.items()))))
    for bad, what in ((Req(asn=0), "asn=0"), (Req(asn=a.asn, at_micros=int(time.time())),
                                               "at_micros in seconds")):
        try:
            get_up(bad, timeout=10, metadata=md)
            check(False, "GetUpstreams(%s) refused: answered OK" % what)
        except grpc.RpcError as e:
            check(e.code() == grpc.StatusCode.INVALID_ARGUMENT,
                  "GetUpstreams(%s) refused: %s %s" % (what, e.code().name, e.details()))

    # 3. Change stream: read, stop, resume from the last sequence handled: no gap, no duplicate
    Req, subscribe = st.method("routewatch.v1.StateChanges", "Subscribe")
    kinds = st.pool.FindEnumTypeByName("routewatch.v1.ChangeKind").values_by_name
    heartbeat = kinds["HEARTBEAT"].number if "HEARTBEAT" in kinds else None

    def read(from_seq, n, seconds):
        got, beats = [], []
        stream = subscribe(Req(from_sequence=from_seq, subscriber="py-conformance"),
                           timeout=seconds, metadata=md)
        try:
            for c in stream:
                if c.kind == heartbeat:
                    beats.append(c.sequence)
                    continue
                got.append(c.sequence)
                if len(got) >= n:
                    break
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                raise
        finally:
            stream.cancel()
        return got, beats

    first, _ = read(0, a.changes, 30)
    check(len(first) == a.changes and first == sorted(set(first)),
          "Subscribe(0): %d changes, sequences %s..%s, increasing" % (
              len(first), first[0] if first else "-", first[-1] if first else "-"))
    if first:
        last = first[-1]
        second, _ = read(last, a.changes, 30)
        check(bool(second) and second[0] == last + 1 and second == sorted(set(second)),
              "resume from %d: next %s (no gap, no duplicate), %d more" % (
                  last, second[0] if second else "-", len(second)))
        # at the head of the journal, heartbeats carry the current sequence (a client that saves
        # the last sequence it saw resumes at the head, not from 0)
        Req_st, stats_call = st.method("routewatch.v1.StateQuery", "GetStats")
        head = stats_call(Req_st(), timeout=10, metadata=md).last_change_sequence
        # from 3 before the head, for longer than the heartbeat interval (5 s shipped)
        tail, beats = read(max(0, head - 3), 10 ** 9, 12)
        now = tail[-1] if tail else head
        check(len(tail) >= 3 and len(beats) >= 2 and beats[-1] == now,
              "heartbeats at the head carry the position: %s (journal head %d, %d changes read)"
              % (beats, now, len(tail)))

    # 4. Alerts: stream them while a watch entry makes one
    al = ports["alert"]
    Req, stream_alerts = al.method("routewatch.v1.AlertService", "StreamAlerts")
    streamed = []
    ready = threading.Event()

    def listen():
        s = stream_alerts(Req(include_firing=True), timeout=60, metadata=al.metadata)
        ready.set()
        try:
            for x in s:
                streamed.append(x)
                break
        except grpc.RpcError:
            pass
        finally:
            s.cancel()

    t = threading.Thread(target=listen, daemon=True)
    t.start()
    ready.wait(10)
    Entry = al.message("routewatch.v1.WatchEntry")
    kind = al.pool.FindEnumTypeByName("routewatch.v1.WatchKind").values_by_name["ASN"].number
    Req, add_watch = al.method("routewatch.v1.AlertService", "AddWatch")
    added = add_watch(Req(entry=Entry(kind=kind, value="AS%d" % a.watch_asn,
                                      description="py conformance")),
                      timeout=10, metadata=al.metadata)
    check(added.value.upper().endswith(str(a.watch_asn)), "AddWatch(AS%d) -> %s" % (
        a.watch_asn, added.value))
    t.join(65)
    check(len(streamed) == 1, "StreamAlerts: %s" % (
        "%s %s" % (streamed[0].type, dict(streamed[0].labels)) if streamed else "nothing in 60 s"))
    Req, list_alerts = al.method("routewatch.v1.AlertService", "ListAlerts")
    listed = list_alerts(Req(), timeout=10, metadata=al.metadata)
    check(len(listed.alerts) >= 1, "ListAlerts: %d alerts" % len(listed.alerts))
    # one spelling of the alert type on every face: REST says what gRPC and Alertmanager say
    rq = urllib.request.Request("http://%s/api/v1/alerts/active" % a.alert)
    if a.token:
        rq.add_header("Authorization", "Bearer " + a.token)
    with urllib.request.urlopen(rq, timeout=10) as r:
        rest = json.load(r)
    grpc_types = sorted({x.type for x in listed.alerts})
    rest_types = sorted({x.get("type") for x in rest})
    check(bool(rest_types) and set(rest_types) <= set(grpc_types),
          "REST /api/v1/alerts/active types %s, gRPC %s" % (rest_types, grpc_types))

    # 5. 100 consecutive calls to each port after idle spells: none may fail
    Req_s, stats_call = st.method("routewatch.v1.StateQuery", "GetStats")
    Req_a, status_call = al.method("routewatch.v1.AlertService", "GetStatus")
    Req_c, list_imports = ports["collector"].method("routewatch.v1.ImportService", "ListImports")
    calls = {"state": lambda: stats_call(Req_s(), timeout=10, metadata=md),
             "alert": lambda: status_call(Req_a(), timeout=10, metadata=al.metadata),
             "collector": lambda: list_imports(Req_c(), timeout=10,
                                               metadata=ports["collector"].metadata)}
    for spell in range(a.idle_spells):
        time.sleep(a.idle_seconds)
        for n, call in calls.items():
            bad = []
            for i in range(a.calls):
                try:
                    call()
                except grpc.RpcError as e:
                    bad.append("%d: %s %s" % (i, e.code().name, e.details()))
            check(not bad, "%s: %d calls after %.0f s idle, %d failed%s" % (
                n, a.calls, a.idle_seconds, len(bad), (" (" + bad[0] + ")") if bad else ""))
    for p in ports.values():
        p.channel.close()
    print("conformance: %d failed" % len(failures), flush=True)
    return min(len(failures), 100)


if __name__ == "__main__":
    sys.exit(main())
