"""Compares `netpol connlist` with NCA's `-o txt_no_fw_rules --output_endpoints pods`,
pair by pair, as sets of (protocol, port ranges).

Usage: compare.py OURS.txt NCA.txt [IP ...]   (exit 1 when a pair differs)

IPs are external addresses netpol was given with `--ip`: NCA prints address ranges, and
each IP stands for the range that holds it.

NCA names a workload's replicas NAME-1, NAME-2, ...; netpol shows the workload once.
NCA may print several lines for one pair (one per protocol group): they are united.
"""
import ipaddress
import re
import sys

PROTOCOLS = ('TCP', 'UDP', 'SCTP')
ALL = 'ALL'
EVERY_PORT = ((1, 65535),)


def merge(ranges):
    out = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def port_ranges(text):
    ranges = []
    for part in text.split(','):
        part = part.strip()
        if part:
            a, _, b = part.partition('-')
            ranges.append((int(a), int(b or a)))
    return merge(ranges)


def canon(by_proto):
    if isinstance(by_proto, str):
        return by_proto
    return tuple(sorted((p, r) for p, r in by_proto.items() if r))


def union(a, b):
    if ALL in (a, b):
        return ALL
    d = dict(a)
    for p, r in b:
        d[p] = merge(list(d.get(p, ())) + list(r))
    return canon(d)


def ours(text):
    """`All connections`, `No connections` or `TCP 80,8000-8999; UDP all ports`."""
    if text == 'All connections':
        return ALL
    if text == 'No connections':
        return ()
    d = {}
    for part in filter(None, (p.strip() for p in text.split(';'))):
        proto, _, ports = part.partition(' ')
        d[proto] = EVERY_PORT if ports in ('', 'all ports') else port_ranges(ports)
    return canon(d)


def nca(text):
    """`All connections` or `{protocols:TCP,dst_ports:80,443};{protocols:UDP, SCTP}`."""
    if text == 'All connections':
        return ALL
    d = {}
    for body in re.findall(r'\{([^}]*)\}', text):
        m = re.search(r'protocols:([A-Za-z0-9, ]+?)(?:,dst_ports:|$)', body)
        ports = re.search(r'dst_ports:([0-9,\-]+)', body)
        for p in (p.strip() for p in m.group(1).split(',')):
            d[p] = merge(list(d.get(p, ())) + list(port_ranges(ports.group(1)) if ports else EVERY_PORT))
    if set(d) >= set(PROTOCOLS) and all(d[p] == EVERY_PORT for p in d) and len(d) > len(PROTOCOLS):
        return ALL
    return canon(d)


def read(path, parse):
    pairs = {}
    for line in open(path):
        m = re.match(r'^(\S+) => (\S+) : (.*)$', line.strip())
        if m:
            key, conn = (m.group(1), m.group(2)), parse(m.group(3))
            pairs[key] = union(pairs[key], conn) if key in pairs else conn
    return pairs


def address_ranges(name):
    """`10.0.0.0-10.1.255.255,11.0.0.0-255.255.255.255` (or one address) as int ranges."""
    out = []
    for part in name.split(','):
        lo, _, hi = part.partition('-')
        try:
            out.append((int(ipaddress.ip_address(lo)), int(ipaddress.ip_address(hi or lo))))
        except ValueError:
            return None
    return out


def main(ours_path, nca_path, *ips):
    mine = read(ours_path, ours)
    names = {a for a, _ in mine} | {b for _, b in mine}

    def endpoints(n):
        if n in names and n not in ips:
            return [n]
        ranges = address_ranges(n)
        if ranges is not None:
            return [ip for ip in ips
                    if any(lo <= int(ipaddress.ip_address(ip)) <= hi for lo, hi in ranges)]
        base = re.sub(r'-\d+$', '', n)
        return [base] if base in names else []

    theirs = {}
    for (a, b), conn in read(nca_path, nca).items():
        for ea in endpoints(a):
            for eb in endpoints(b):
                if not (ea == eb and a != b):
                    key = (ea, eb)
                    theirs.setdefault(key, set()).add(conn)
    # Several ranges can hold one address only if NCA printed overlapping lines: unite them.
    for key, conns in theirs.items():
        if any(k in ips for k in key) and len(conns) > 1:
            merged = ()
            for c in conns:
                merged = union(merged, c)
            theirs[key] = {merged}
    pairs = differ = 0
    for (a, b), conn in sorted(mine.items()):
        if a == b or (a in ips and b in ips):
            continue
        pairs += 1
        other = theirs.get((a, b), {()})
        if len(other) > 1 or conn not in other:
            differ += 1
            if differ <= 20:
                print(f'  differs: {a} => {b}: netpol {conn}, nca {sorted(other)}')
    print(f'{pairs} pairs, {differ} differ')
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
