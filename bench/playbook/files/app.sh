#!/bin/sh
# The benchmark's "service": a small HTTP server on 127.0.0.1:PORT serving DIR.
# Each lab host has its own network namespace, so every host can use the same port.
# python3 is on the lab hosts because they share the control machine's root filesystem.
port=${1:?port}
dir=${2:?directory}
exec /usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir"
