#!/usr/bin/env bash
# System packages the test suite needs on a fresh Debian machine: Chromium for the browser tests
# (driven through Playwright's executable_path) and tesseract-ocr for the readability tests, poppler-utils for the printed pages, plus
# a check for Java 17+ and Maven, which scripts/neo4jctl.py uses to fetch and run Neo4j. Idempotent
# and silent when all is present.
set -euo pipefail

missing=0

# Run as root directly; otherwise through sudo if there is one.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "install_system_deps: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

if [ ! -x /usr/bin/chromium ]; then
    echo "install_system_deps: installing chromium (apt-get) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
    if [ ! -x /usr/bin/chromium ]; then
        echo "install_system_deps: chromium installed but /usr/bin/chromium is missing" >&2
        missing=1
    fi
fi

# tesseract (English) reads the maps in the readability tests (tests/exports/ocr.py).
if ! command -v tesseract >/dev/null 2>&1; then
    echo "install_system_deps: installing tesseract-ocr (apt-get) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng >/dev/null
    if ! command -v tesseract >/dev/null 2>&1; then
        echo "install_system_deps: tesseract-ocr installed but tesseract is missing" >&2
        missing=1
    fi
fi

# poppler's pdftotext and pdfinfo read the report and matrix pages Chromium prints to PDF
# (tests/exports/test_report.py, test_matrix_view.py).
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
    echo "install_system_deps: installing poppler-utils (apt-get) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
    if ! command -v pdftotext >/dev/null 2>&1; then
        echo "install_system_deps: poppler-utils installed but pdftotext is missing" >&2
        missing=1
    fi
fi

# `java -version` prints e.g. 'openjdk version "17.0.15"' (or "1.8.0_x" for Java 8) on stderr.
if ! command -v java >/dev/null 2>&1; then
    echo "install_system_deps: java not found: install a JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless)" >&2
    missing=1
else
    java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\..*/\1/p; s/.*version "\([0-9]*\)".*/\1/p' | head -n 1)
    if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
        echo "install_system_deps: java ${java_major:-?} found, Neo4j 5.26 needs 17+ (e.g. openjdk-17-jdk-headless)" >&2
        missing=1
    fi
fi
if ! command -v javac >/dev/null 2>&1; then
    echo "install_system_deps: javac not found: install a full JDK 17+, not only a JRE (openjdk-17-jdk-headless)" >&2
    missing=1
fi
if ! command -v mvn >/dev/null 2>&1; then
    echo "install_system_deps: mvn not found: install Maven 3.8+ (e.g. apt-get install maven)" >&2
    missing=1
fi

exit "$missing"
