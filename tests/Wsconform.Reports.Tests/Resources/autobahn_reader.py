#!/usr/bin/env python3
"""A reader of Autobahn|Testsuite reports that knows only Autobahn's documented layout (catalogue 4.1-4.3), in the
way CI glue reads it (tungstenite-rs, aiohttp, Jetty). Usage: autobahn_reader.py REPORT_DIR. Prints one summary line
per agent; exits non-zero with a message on anything Autobahn would not have written."""
import json, os, re, sys

CASE_KEYS = {"agent", "behavior", "behaviorClose", "case", "closedByMe", "createStats", "createWirelog", "description",
             "droppedByMe", "duration", "expectation", "expected", "expectedClose", "failedByMe", "httpRequest",
             "httpResponse", "id", "isServer", "localCloseCode", "localCloseReason", "received", "remoteCloseCode",
             "remoteCloseReason", "reportCompressionRatio", "reportTime", "result", "resultClose", "rxFrameStats",
             "txFrameStats", "rxOctetStats", "txOctetStats", "started", "trafficStats", "wasClean",
             "wasCloseHandshakeTimeout", "wasNotCleanReason", "wasOpenHandshakeTimeout",
             "wasServerConnectionDropTimeout", "wirelog"}
BEHAVIOR = {"OK", "NON-STRICT", "FAILED", "INFORMATIONAL", "UNIMPLEMENTED", "ERROR"}
CLOSE = {"OK", "FAILED", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT", "INFORMATIONAL", "ERROR"}
WIRE_LEN = {"RO": 2, "TO": 3, "RF": 7, "TF": 9, "CT": 3, "CTE": 2, "KL": 2, "KLE": 1, "TI": 2, "TIE": 1, "WLM": 2}


def fail(msg):
    print("autobahn_reader: " + msg)
    sys.exit(1)


def agent_file(agent):
    return re.sub("[^a-z0-9]", " ", agent.lower()).strip().replace(" ", "_")


def check_events(events, where):
    if not isinstance(events, list):
        fail(where + " is not a list")
    for e in events:
        if not isinstance(e, list) or not e or e[0] not in ("message", "ping", "pong", "timeout"):
            fail("%s: bad event %r" % (where, e))
        if e[0] == "message" and (len(e) != 3 or not isinstance(e[2], bool)):
            fail("%s: message tuple %r" % (where, e))


def main(outdir):
    raw = open(os.path.join(outdir, "index.json"), encoding="utf-8").read()
    def sorted_pairs(pairs):
        keys = [k for k, _ in pairs]
        if keys != sorted(keys):
            fail("keys not sorted: %r" % keys)
        return dict(pairs)
    index = json.loads(raw, object_pairs_hook=sorted_pairs)
    if not raw.startswith('{\n   "'):
        fail("index.json is not indented by 3")
    for agent, cases in index.items():
        counts = {}
        for case_id, entry in cases.items():
            for key in ("behavior", "behaviorClose", "duration", "remoteCloseCode", "reportfile"):
                if key not in entry:
                    fail("index %s %s lacks %s" % (agent, case_id, key))
            if entry["behavior"] not in BEHAVIOR or entry["behaviorClose"] not in CLOSE:
                fail("index %s %s: verdicts %r" % (agent, case_id, entry))
            if type(entry["duration"]) is not int:
                fail("duration is not an int")
            if entry["remoteCloseCode"] is not None and type(entry["remoteCloseCode"]) is not int:
                fail("remoteCloseCode is not int or null")
            expected_name = "%s_case_%s.json" % (agent_file(agent), case_id.replace(".", "_"))
            if entry["reportfile"] != expected_name:
                fail("reportfile %s, expected %s" % (entry["reportfile"], expected_name))
            case = json.load(open(os.path.join(outdir, entry["reportfile"]), encoding="utf-8"), object_pairs_hook=sorted_pairs)
            if set(case.keys()) != CASE_KEYS:
                fail("%s keys differ: missing %s, extra %s" % (entry["reportfile"], CASE_KEYS - set(case), set(case) - CASE_KEYS))
            if case["id"] != case_id or case["agent"] != agent or case["behavior"] != entry["behavior"] or case["duration"] != entry["duration"]:
                fail("%s disagrees with index.json" % entry["reportfile"])
            if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", case["started"]):
                fail("started %r" % case["started"])
            for verdict, events in case["expected"].items():
                if verdict not in BEHAVIOR:
                    fail("expected key %r" % verdict)
                check_events(events, "expected")
            check_events(case["received"], "received")
            ec = case["expectedClose"]
            if not isinstance(ec.get("closeCode"), list) or not isinstance(ec.get("closedByMe"), bool) or not isinstance(ec.get("requireClean"), bool):
                fail("expectedClose %r" % ec)
            for stats in ("rxFrameStats", "txFrameStats", "rxOctetStats", "txOctetStats"):
                for k, v in case[stats].items():
                    int(k)
                    if type(v) is not int:
                        fail(stats)
            for line in case["wirelog"]:
                if line[0] not in WIRE_LEN or len(line) != WIRE_LEN[line[0]]:
                    fail("wirelog line %r" % (line,))
                if line[0] in ("RO", "TO", "RF", "TF") and (len(line[1]) != 2 or type(line[1][0]) is not int):
                    fail("wirelog payload %r" % (line,))
            traffic = case["trafficStats"]
            if traffic is not None:
                if not isinstance(traffic, dict):
                    fail("trafficStats %r" % (traffic,))
                for k, v in traffic.items():
                    if v is not None and type(v) not in (int, float):
                        fail("trafficStats.%s %r" % (k, v))
            # The figures Autobahn's summary matrix prints under the verdict (autobahntestsuite report.py).
            detail = ""
            if case["reportTime"]:
                detail += "%d ms" % case["duration"]
            if case["reportCompressionRatio"] and traffic is not None:
                cr_in = traffic["incomingCompressionRatio"]
                cr_out = traffic["outgoingCompressionRatio"]
                detail += " [%s/%s]" % ("%.3f" % cr_in if cr_in is not None else "-", "%.3f" % cr_out if cr_out is not None else "-")
                print("%s %s: %s" % (agent, case_id, detail))
            counts[case["behavior"]] = counts.get(case["behavior"], 0) + 1
        print("%s: %d cases %s" % (agent, len(cases), " ".join("%s=%d" % kv for kv in sorted(counts.items()))))


if __name__ == "__main__":
    main(sys.argv[1])
