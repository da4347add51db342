#!/usr/bin/env bash
# Serves reports/ (result pages, plots, history CSVs) over HTTP on port 8000, loopback only, until Ctrl-C.
# Any -D option is passed on, e.g.:
#   bin/plots_server.sh -Dplot.port=8080 -Dplot.bind=0.0.0.0 -Dllmbench.reports.dir=/data/reports
# Exit code 2, with one line saying why: bad port, port in use, no reports directory.
set -euo pipefail
# Maven runs from the repository root whatever the caller's directory, so "reports" means the project's.
cd "$(dirname "$0")/.."
exec mvn -q compile exec:java@plot-server "$@"
