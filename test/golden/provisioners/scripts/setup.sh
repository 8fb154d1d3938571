#!/bin/sh
# The golden case's setup script.
echo "setup $*"
