"""Writes the copy of a generated cluster that NCA (network-config-analyzer) reads.

Usage: nca_input.py IN.yaml OURS.yaml NCA.yaml

NCA is an independent NetworkPolicy analyser (IBM np-guard, on PyPI). Version 2.1.0 departs
from the Kubernetes API in three ways that have nothing to do with the question asked, so
both analysers get inputs with the same API meaning:

1. ipBlock never matches pods in NCA (pods have no place in its address space); for the
   API and the e2e suite it does. Pods lose `status` (so netpol assigns 10.244.0.0/16
   addresses, which the generator's ipBlocks never cover), for both analysers.
2. `policyTypes` left out: the API server defaults it to [Ingress], plus Egress only when
   the egress list is non-empty (SetDefaults_NetworkPolicy); NCA reads `egress: []` as
   egress isolation. NCA's copy gets the defaulted value written out, and rules of a
   direction the policy does not have are dropped (the API ignores them; NCA refuses them).
3. `Exists` / `DoesNotExist` in matchExpressions: NCA matches only pods of the policy's
   namespace even under a namespaceSelector. NCA's copy gets the equivalent `In` / `NotIn`
   over every value the key has in this cluster.
"""
import sys

import yaml


def workload_labels(d):
    kind = d.get('kind')
    if kind in ('Pod', 'Namespace'):
        return (d.get('metadata') or {}).get('labels') or {}
    template = ((d.get('spec') or {}).get('template') or {})
    return (template.get('metadata') or {}).get('labels') or {}


def rewrite_exists(node, values):
    if isinstance(node, dict):
        for e in node.get('matchExpressions') or []:
            vals = sorted(values.get(e.get('key'), set())) or ['__no-such-value__']
            if e.get('operator') == 'Exists':
                e['operator'], e['values'] = 'In', vals
            elif e.get('operator') == 'DoesNotExist':
                e['operator'], e['values'] = 'NotIn', vals
        for v in node.values():
            rewrite_exists(v, values)
    elif isinstance(node, list):
        for v in node:
            rewrite_exists(v, values)


def main(src, ours_out, nca_out):
    docs = [d for d in yaml.safe_load_all(open(src)) if d]
    for d in docs:
        if d.get('kind') == 'Pod':
            d.pop('status', None)
    yaml.safe_dump_all(docs, open(ours_out, 'w'), sort_keys=False)

    values = {}
    for d in docs:
        for k, v in workload_labels(d).items():
            values.setdefault(k, set()).add(str(v))
    for d in docs:
        if d.get('kind') != 'NetworkPolicy':
            continue
        spec = d.setdefault('spec', {})
        rewrite_exists(spec, values)
        if not spec.get('policyTypes'):
            spec['policyTypes'] = ['Ingress'] + (['Egress'] if spec.get('egress') else [])
        for t in ('Ingress', 'Egress'):
            if t not in spec['policyTypes']:
                spec.pop(t.lower(), None)
    yaml.safe_dump_all(docs, open(nca_out, 'w'), sort_keys=False)


if __name__ == '__main__':
    main(*sys.argv[1:4])
