# python3 benchmarks/lab/lab_handler_cpu.py ../shared/data/taxi-trips.csv [repetitions]
#
# Estimate of the workshop lab's Python handler CPU per trip: its per-record work with the standard library
# (aws_kinesis_agg and protobuf are not installable here): per KPL aggregate base64-decode, MD5, walk the
# protobuf (pure Python varint walk, as protobuf's Python implementation does), and per user record what
# aws_kinesis_agg.deaggregate_records does (a new record dict, data base64-encoded again), then what the lab does
# (base64-decode, UTF-8 decode, json.loads, sum passengerCount, keep vendorId).
import base64, csv, hashlib, json, struct, sys, time, copy

rows = list(csv.DictReader(open(sys.argv[1])))
def trip(r):
    return json.dumps({"id": r["id"], "vendorId": int(r["vendor_id"]), "pickupDate": r["pickup_datetime"],
        "dropoffDate": r["dropoff_datetime"], "passengerCount": int(r["passenger_count"]),
        "pickupLongitude": float(r["pickup_longitude"]), "pickupLatitude": float(r["pickup_latitude"]),
        "dropoffLongitude": float(r["dropoff_longitude"]), "dropoffLatitude": float(r["dropoff_latitude"]),
        "storeAndFwdFlag": r["store_and_fwd_flag"], "gcDistance": float(r["gc_distance"]), "tripDuration": int(r["trip_duration"]),
        "googleDistance": int(r["google_distance"] or 0), "googleDuration": int(r["google_duration"] or 0)}, separators=(",", ":")).encode()

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)
def field(num, wt, payload):
    return varint(num << 3 | wt) + (varint(len(payload)) + payload if wt == 2 else payload)

MAGIC = b"\xf3\x89\x9a\xc2"
aggs = []; cur = []; size = 0
for r in rows:
    t = trip(r); k = r["id"].encode()
    rec = field(1, 0, varint(len(cur))) + field(3, 2, t)
    entry = field(1, 2, k) + field(3, 2, rec)
    if size + len(entry) > 51000 and cur:
        aggs.append(cur); cur = []; size = 0
    cur.append((k, t)); size += len(entry)
aggs.append(cur)
records = []
for a in aggs:
    body = b"".join(field(1, 2, k) for k, _ in a) + b"".join(field(3, 2, field(1, 0, varint(i)) + field(3, 2, t)) for i, (k, t) in enumerate(a))
    data = MAGIC + body + hashlib.md5(body).digest()
    records.append({"kinesis": {"partitionKey": a[0][0].decode(), "data": base64.b64encode(data).decode(), "sequenceNumber": "1",
                                "kinesisSchemaVersion": "1.0", "approximateArrivalTimestamp": 1.0}, "eventSource": "aws:kinesis"})

def read_varint(b, i):
    shift = 0; n = 0
    while True:
        x = b[i]; i += 1; n |= (x & 0x7f) << shift; shift += 7
        if not x & 0x80: return n, i
def parse(b):  # returns list of (key index, data) walking the message as protobuf's pure-Python decoder does
    i = 0; keys = []; recs = []
    while i < len(b):
        tag, i = read_varint(b, i); ln, i = read_varint(b, i); payload = b[i:i + ln]; i += ln
        if tag >> 3 == 1: keys.append(payload.decode())
        else:
            j = 0; idx = 0; data = b""
            while j < len(payload):
                t2, j = read_varint(payload, j)
                if t2 & 7 == 0: idx, j = read_varint(payload, j)
                else: l2, j = read_varint(payload, j); data = payload[j:j + l2]; j += l2
            recs.append((idx, data))
    return keys, recs
def deaggregate(raw):
    out = []
    for r in raw:
        d = base64.b64decode(r["kinesis"]["data"])
        body, digest = d[4:-16], d[-16:]
        assert hashlib.md5(body).digest() == digest
        keys, recs = parse(body)
        for idx, data in recs:
            nr = copy.deepcopy(r)
            nr["kinesis"]["partitionKey"] = keys[idx]
            nr["kinesis"]["data"] = base64.b64encode(data).decode()
            out.append(nr)
    return out
def handler(raw, state):
    for record in deaggregate(raw):
        p = json.loads(base64.b64decode(record["kinesis"]["data"]).decode("UTF-8"))
        if "passengerCount" in p:
            state["passengerCount"] += p["passengerCount"]; state["vendorId"] = p["vendorId"]
    return state
ntrips = sum(len(a) for a in aggs)
handler(records, {"passengerCount": 0})
t0 = time.process_time(); reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
for _ in range(reps): handler(records, {"passengerCount": 0})
cpu = time.process_time() - t0
print(f"python {sys.version.split()[0]}: {len(records)} aggregates, {ntrips} trips x {reps}: {cpu / (ntrips * reps) * 1e6:.1f} CPU us per trip")
try:
    import boto3
    t0 = time.process_time()
    boto3.resource("dynamodb", region_name="us-east-1").Table("kinesisAggs")  # the first loads the service model
    t0 = time.process_time()
    for _ in range(10): boto3.resource("dynamodb", region_name="us-east-1").Table("kinesisAggs")
    print(f"boto3 {boto3.__version__}: boto3.resource('dynamodb') + Table, as the lab makes in every invocation:"
          f" {(time.process_time() - t0) / 10 * 1000:.0f} CPU ms each after the first")
except ImportError:
    print("no boto3 here")
