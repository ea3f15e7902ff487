#!/bin/bash
# t190-web-browser.sh: runs tests/e2e/page-test (headless chromium) with the other tests.
exec bash "$(dirname "$0")/page-test"
