#!/usr/bin/env bash
# Sourced by the scripts that need JDK 25 (the tuned setup: its AOT cache): sets java25 to $JAVA25_HOME, else to the
# first JDK 25 under /usr/lib/jvm, else to nothing.
java25=${JAVA25_HOME:-}
if [ -z "$java25" ]; then
  for candidate in /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/java" ]; then java25=$candidate; break; fi
  done
fi
